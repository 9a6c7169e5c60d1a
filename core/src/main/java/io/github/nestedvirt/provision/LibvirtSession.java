package io.github.nestedvirt.provision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error;
import org.libvirt.LibvirtException;

/**
 * One open libvirt connection, e.g. to {@code qemu:///system} on L0, with every libvirt error
 * turned into a {@link LibvirtFailedException} that names the URI and the operation.
 *
 * <p>libvirt keeps its last error per thread, so a session is meant for one worker thread at a
 * time. Domains handed out are {@link LibvirtDomain}s, which free their native handle on close.
 */
public final class LibvirtSession implements AutoCloseable {

    private final String uri;
    private final Connect connect;
    private final Supplier<Optional<String>> lossExplained;
    private boolean closed;

    private LibvirtSession(String uri, Connect connect, Supplier<Optional<String>> lossExplained) {
        this.uri = uri;
        this.connect = connect;
        this.lossExplained = lossExplained;
    }

    /**
     * Opens a read-write connection; registers libvirt's event loop first (once per JVM).
     *
     * @param uri e.g. {@code qemu:///system}, {@code qemu+ssh://root@l0/system} or {@code test:///default}
     */
    public static LibvirtSession open(String uri) throws LibvirtFailedException {
        return open(uri, uri);
    }

    /**
     * Opens {@code uri}, naming it {@code shownAs} in messages, e.g. a relay's socket shown as the
     * {@code qemu+ssh} URI of the daemon it reaches.
     */
    public static LibvirtSession open(String uri, String shownAs) throws LibvirtFailedException {
        return open(uri, shownAs, Optional::empty);
    }

    /**
     * As {@link #open(String, String)}; when a call fails because the connection is gone,
     * {@code lossExplained} says what is known of why (e.g. what an SSH relay saw), for the message.
     */
    static LibvirtSession open(String uri, String shownAs, Supplier<Optional<String>> lossExplained)
            throws LibvirtFailedException {
        try {
            LibvirtEventLoop.ensureStarted();
            return new LibvirtSession(shownAs, new Connect(uri), lossExplained);
        } catch (LibvirtException e) {
            throw LibvirtFailedException.of(shownAs, "connect", e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new LibvirtFailedException(shownAs, "connect",
                    "cannot load the libvirt library (libvirt.so.0): install Debian's libvirt0 package ("
                            + e.getMessage() + ")", null, e);
        }
    }

    public String uri() {
        return uri;
    }

    /**
     * Runs any other libvirt-java call on this connection, e.g. storage pools, with the same
     * error translation.
     *
     * @param operation what the call does, in words, for the error message
     */
    public <T> T call(String operation, LibvirtCall<T, Connect> call) throws LibvirtFailedException {
        if (closed) {
            throw new LibvirtFailedException(uri, operation, "the connection is already closed", null, null);
        }
        try {
            return call.call(connect);
        } catch (LibvirtException e) {
            if (isGone()) {
                throw LibvirtFailedException.connectionLost(uri, operation, e, lossExplained.get().orElse(null));
            }
            throw LibvirtFailedException.of(uri, operation, e);
        }
    }

    /** Whether the connection itself ended (libvirt then fails every later call too). */
    private boolean isGone() {
        try {
            return !connect.isAlive();
        } catch (LibvirtException e) {
            return false; // unknown: the call's own error is reported as it is
        }
    }

    /** Defines (but does not start) a persistent domain. */
    public LibvirtDomain define(String domainXml) throws LibvirtFailedException {
        Domain domain = call("define domain", c -> c.domainDefineXML(domainXml));
        return wrap(domain, "define domain");
    }

    /** The domain of that name, running or only defined, or empty when there is none. */
    public Optional<LibvirtDomain> find(String name) throws LibvirtFailedException {
        String operation = "look up domain '" + name + "'";
        try {
            return Optional.of(wrap(call(operation, c -> c.domainLookupByName(name)), operation));
        } catch (LibvirtFailedException e) {
            if (e.errorNumber() == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Names of all domains, running and defined-but-stopped, sorted. */
    public List<String> domainNames() throws LibvirtFailedException {
        TreeSet<String> names = new TreeSet<>(List.of(call("list defined domains", Connect::listDefinedDomains)));
        for (int id : call("list running domains", Connect::listDomains)) {
            // A domain may stop between listing and lookup: then it is simply not listed.
            try {
                Domain domain = call("look up domain id " + id, c -> c.domainLookupByID(id));
                try (LibvirtDomain running = wrap(domain, "look up domain id " + id)) {
                    names.add(running.name());
                }
            } catch (LibvirtFailedException e) {
                if (e.errorNumber() != Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    throw e;
                }
            }
        }
        return new ArrayList<>(names);
    }

    private LibvirtDomain wrap(Domain domain, String operation) throws LibvirtFailedException {
        String name = call(operation + ": read its name", d -> domain.getName());
        return new LibvirtDomain(this, domain, name);
    }

    /** Closes the connection; later calls fail with a clear message. Closing twice does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connect.close();
        } catch (LibvirtException e) {
            // Nothing the caller could do about it: the connection is unusable either way.
            System.err.println(uri + ": close connection: " + e.getMessage());
        }
    }
}
