package io.github.nestedvirt.provision;

import io.github.nestedvirt.host.HostException;
import org.libvirt.Error;
import org.libvirt.LibvirtException;

/**
 * A libvirt call failed. The message names the connection URI, the operation (e.g.
 * {@code define domain}) and libvirt's own explanation; {@link #errorNumber()} keeps libvirt's
 * error code for callers that react to one (e.g. "no such domain").
 */
public class LibvirtFailedException extends HostException {

    private final String operation;
    private final transient Error.ErrorNumber errorNumber;

    public LibvirtFailedException(String uri, String operation, String message, Error.ErrorNumber errorNumber,
            Throwable cause) {
        super(uri, operation + " failed: " + message, cause);
        this.operation = operation;
        this.errorNumber = errorNumber;
    }

    static LibvirtFailedException of(String uri, String operation, LibvirtException e) {
        Error error = e.getError();
        return new LibvirtFailedException(uri, operation, e.getMessage(), error == null ? null : error.getCode(), e);
    }

    /** The connection URI, e.g. {@code qemu:///system}. */
    public String uri() {
        return hostName();
    }

    /** What was being done, in words, e.g. {@code start domain 'nvmx-l1-0'}. */
    public String operation() {
        return operation;
    }

    /** libvirt's error code, or null when the failure did not come from libvirt itself. */
    public Error.ErrorNumber errorNumber() {
        return errorNumber;
    }
}
