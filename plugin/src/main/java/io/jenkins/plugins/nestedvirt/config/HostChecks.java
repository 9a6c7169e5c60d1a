package io.jenkins.plugins.nestedvirt.config;

import hudson.Util;
import hudson.util.FormValidation;

/** Checks of the fields of an L0 host, with messages that say what to type instead. */
final class HostChecks {

    private HostChecks() {
    }

    static FormValidation libvirtUri(String value) {
        String uri = Util.fixEmptyAndTrim(value);
        if (uri == null) {
            return FormValidation.error("Give the libvirt URI, e.g. qemu+ssh://root@l0.example.org/system,"
                    + " or qemu:///system when the agent runs on the host itself");
        }
        if (!uri.startsWith("qemu")) {
            return FormValidation.error("Only QEMU/KVM hosts run the plan: the URI starts with qemu, e.g."
                    + " qemu+ssh://root@l0.example.org/system");
        }
        if (uri.contains("+ssh") && L0Host.SshAddress.of(uri) == null) {
            return FormValidation.error("Cannot read user, host and port from " + uri
                    + "; write it as qemu+ssh://USER@HOST[:PORT]/system");
        }
        return FormValidation.ok();
    }

    static FormValidation hostKey(String value, boolean overSsh) {
        String key = Util.fixEmptyAndTrim(value);
        if (key == null) {
            return overSsh ? FormValidation.error("Pin the host's key: paste the line of 'ssh-keyscan HOST' after the"
                    + " host name, e.g. ssh-ed25519 AAAAC3Nza...; host keys are always checked")
                    : FormValidation.ok();
        }
        String[] parts = key.split("\\s+");
        if (parts.length < 2 || !(parts[0].startsWith("ssh-") || parts[0].startsWith("ecdsa-"))) {
            return FormValidation.error("Expected the key type and the key, e.g. ssh-ed25519 AAAAC3Nza..., as printed"
                    + " by 'ssh-keyscan HOST' after the host name");
        }
        return FormValidation.ok();
    }
}
