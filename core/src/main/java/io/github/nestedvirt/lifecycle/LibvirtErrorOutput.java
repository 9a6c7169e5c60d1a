package io.github.nestedvirt.lifecycle;

import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

/**
 * libvirt prints every error to stderr by default, including the "Domain not found" that a
 * repeated teardown expects; errors reach us as {@link LibvirtException}s anyway, so command-line
 * tools turn that printing off.
 */
public final class LibvirtErrorOutput {

    /** Held for the life of the JVM: libvirt calls it through a native pointer. */
    private static final ErrorCallback IGNORE = new ErrorCallback();

    private LibvirtErrorOutput() {
    }

    /** Stops libvirt's own printing of errors, for the whole process. */
    public static synchronized void silence() throws LibvirtException {
        Connect.setErrorCallback(IGNORE);
    }
}
