package io.github.nestedvirt.kvm;

import io.github.nestedvirt.host.HostException;

/** The kvm module of a host could not be read, switched or restored; the message says what to do. */
public class KvmModuleException extends HostException {

    public KvmModuleException(String hostName, String message) {
        super(hostName, message);
    }
}
