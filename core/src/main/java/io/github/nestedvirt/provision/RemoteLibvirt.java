package io.github.nestedvirt.provision;

import io.github.nestedvirt.host.CommandPipe;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The libvirt daemon of another machine (a remote L0, or an L1 for its L2s), reached through the
 * engine's own SSH session to it, whose host key is checked. The engine listens on a unix socket of its own;
 * each libvirt connection made to {@link #uri()} gets an exec channel on the session that runs
 * {@value #RELAY_COMMAND}, which is what libvirt's {@code qemu+ssh} transport runs remotely, and
 * the two are joined byte for byte.
 *
 * <p>So libvirt-java needs no {@code ssh} binary with its own host-key handling and key
 * options, the host needs no TCP listener, and a jump chain (an L1 behind a remote L0) works as it
 * does for commands. The socket lives in a private temporary directory, not in the run
 * directory, because a unix socket path must stay under 108 bytes.
 */
public final class RemoteLibvirt implements AutoCloseable {

    /** libvirt's own relay (libvirt 6.8 and later); busybox or OpenBSD nc on the daemon's socket otherwise. */
    static final String RELAY_COMMAND = "if command -v virt-ssh-helper >/dev/null 2>&1;"
            + " then exec virt-ssh-helper qemu:///system; else exec nc -U /var/run/libvirt/libvirt-sock; fi";

    private static final int BUFFER = 64 * 1024;

    private final SshHost host;
    private final Path directory;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RemoteLibvirt(SshHost host, Path directory, Path socket, ServerSocketChannel server) {
        this.host = host;
        this.directory = directory;
        this.socket = socket;
        this.server = server;
    }

    /** Starts listening; every connection to {@link #uri()} reaches {@code qemu:///system} on {@code host}. */
    public static RemoteLibvirt open(SshHost host) throws IOException {
        Path directory = Files.createTempDirectory("nvmx-libvirt-"); // mode 700: only this user connects
        Path socket = directory.resolve("libvirt-sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        RemoteLibvirt libvirt = new RemoteLibvirt(host, directory, socket, server);
        Thread acceptor = new Thread(libvirt::acceptLoop, "nvmx-libvirt-" + host.name());
        acceptor.setDaemon(true);
        acceptor.start();
        return libvirt;
    }

    /** The URI libvirt-java connects to: this relay's socket. */
    public String uri() {
        return "qemu+unix:///system?socket=" + socket;
    }

    /**
     * The URI recorded with what lives in this host's libvirt: the {@code qemu+ssh} URI that names
     * the same daemon, for people and for a later teardown from another process.
     */
    public String recordedUri() {
        SshTarget target = host.target();
        return "qemu+ssh://" + target.user() + "@" + target.host() + (target.port() == 22 ? "" : ":" + target.port())
                + "/system?no_tty=1";
    }

    /** A libvirt session on this host's daemon, through the relay. */
    public LibvirtSession session() throws LibvirtFailedException {
        return LibvirtSession.open(uri(), recordedUri());
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            CommandPipe pipe;
            try {
                pipe = host.pipe(RELAY_COMMAND);
            } catch (HostException e) {
                // The client sees its connection closed; libvirt reports that as the connection failing.
                System.err.println(host.name() + ": cannot start libvirt's relay: " + e.getMessage());
                closeQuietly(client);
                continue;
            }
            open.add(client);
            open.add(pipe);
            Runnable end = () -> {
                closeQuietly(client);
                pipe.close();
                open.remove(client);
                open.remove(pipe);
            };
            relay("to-host", () -> toHost(client, pipe.toCommand()), end);
            relay("from-host", () -> fromHost(pipe.fromCommand(), client), end);
        }
    }

    private interface Copy {
        void run() throws IOException;
    }

    private void relay(String direction, Copy copy, Runnable end) {
        Thread thread = new Thread(() -> {
            try {
                copy.run();
            } catch (IOException e) {
                // the other side went away: the connection ends either way
            } finally {
                end.run();
            }
        }, "nvmx-libvirt-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    /** The channel's own streams read and write; the socket is used directly, as both directions run at once. */
    private static void toHost(SocketChannel client, OutputStream host) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        while (client.read(buffer) >= 0) {
            host.write(buffer.array(), 0, buffer.position());
            host.flush(); // JSch sends only what is flushed, and libvirt waits for each reply
            buffer.clear();
        }
    }

    private static void fromHost(InputStream host, SocketChannel client) throws IOException {
        byte[] bytes = new byte[BUFFER];
        int n;
        while ((n = host.read(bytes)) >= 0) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, n);
            while (buffer.hasRemaining()) {
                client.write(buffer);
            }
        }
    }

    /** Stops listening and ends every relayed connection. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (AutoCloseable connection : open) {
            closeQuietly(connection);
        }
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            System.err.println("cannot remove " + directory + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is all that is left to do
        }
    }
}
