package io.github.nestedvirt.kvmstat;

/** A source of KVM counters cannot be used on a host; the message is the failure in the tool's own words. */
final class SourceUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    SourceUnavailableException(String message) {
        super(message);
    }
}
