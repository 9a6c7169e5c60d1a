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
    private final String detail;
    private final transient Error.ErrorNumber errorNumber;
    private final boolean connectionLost;

    public LibvirtFailedException(String uri, String operation, String message, Error.ErrorNumber errorNumber,
            Throwable cause) {
        this(uri, operation, message, errorNumber, false, cause);
    }

    private LibvirtFailedException(String uri, String operation, String message, Error.ErrorNumber errorNumber,
            boolean connectionLost, Throwable cause) {
        super(uri, operation + " failed: " + message, cause);
        this.operation = operation;
        this.detail = message;
        this.errorNumber = errorNumber;
        this.connectionLost = connectionLost;
    }

    static LibvirtFailedException of(String uri, String operation, LibvirtException e) {
        Error error = e.getError();
        return new LibvirtFailedException(uri, operation, e.getMessage(), error == null ? null : error.getCode(), e);
    }

    /**
     * The call failed because the connection to the daemon ended under it.
     *
     * @param why what is known of the end, e.g. what the SSH relay saw, appended to libvirt's message; or null
     */
    static LibvirtFailedException connectionLost(String uri, String operation, LibvirtException e, String why) {
        Error error = e.getError();
        return new LibvirtFailedException(uri, operation, e.getMessage() + (why == null ? "" : "; " + why),
                error == null ? null : error.getCode(), true, e);
    }

    /** The same failure, with {@code more} (e.g. the end of a guest's console) after the message. */
    public LibvirtFailedException with(String more) {
        return new LibvirtFailedException(uri(), operation, detail + "\n" + more, errorNumber, connectionLost, this);
    }

    /** The connection URI, e.g. {@code qemu:///system}. */
    public String uri() {
        return hostName();
    }

    /** What was being done, in words, e.g. {@code start domain 'nvmx-l1-0'}. */
    public String operation() {
        return operation;
    }

    /**
     * Whether the connection to the daemon was gone after the failure (the daemon or the way to it
     * went away), rather than the daemon refusing the call: a fresh connection may succeed.
     */
    public boolean connectionLost() {
        return connectionLost;
    }

    /** libvirt's error code, or null when the failure did not come from libvirt itself. */
    public Error.ErrorNumber errorNumber() {
        return errorNumber;
    }
}
