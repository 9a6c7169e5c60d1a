package io.github.nestedvirt.host;

/** What to do with a host key that is not in the known_hosts file. Checking is never turned off. */
public enum HostKeyPolicy {

    /** Only keys already in known_hosts are accepted (the default). */
    STRICT,

    /**
     * Explicit opt-in for freshly installed guests: the key of a host that has no entry yet is
     * written to known_hosts on first contact. A host whose key differs from its entry is still
     * refused.
     */
    RECORD_NEW
}
