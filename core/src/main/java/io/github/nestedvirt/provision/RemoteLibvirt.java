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
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

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
    /** How long to wait for a ended relay's exit status or for its session's end to be noticed. */
    private static final Duration REASON_WAIT = Duration.ofSeconds(2);

    private final SshHost host;
    private final Path directory;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile String lastLoss;

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
        return LibvirtSession.open(uri(), recordedUri(), this::lastLoss);
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
            new Relayed(client, pipe).start();
        }
    }

    /**
     * Why the last relayed connection that the far side ended went away, e.g. "its SSH relay ended
     * at 08:17:03 UTC: the SSH session to root@l1:22 ended ..." or "...: the command on root@l1:22
     * exited with status 1; its last error output: ..."; empty while no connection was lost that way.
     */
    public Optional<String> lastLoss() {
        return Optional.ofNullable(lastLoss);
    }

    /** One libvirt connection joined byte for byte to one relay command; whichever side ends first ends both. */
    private final class Relayed {

        private final SocketChannel client;
        private final CommandPipe pipe;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final CloseRequestWatch closeRequest = new CloseRequestWatch();

        Relayed(SocketChannel client, CommandPipe pipe) {
            this.client = client;
            this.pipe = pipe;
        }

        void start() {
            thread("to-host", this::toHost);
            thread("from-host", this::fromHost);
        }

        private void thread(String direction, Runnable copy) {
            Thread thread = new Thread(copy, "nvmx-libvirt-" + direction);
            thread.setDaemon(true);
            thread.start();
        }

        /** The socket is used directly (both directions run at once); the channel through its own streams. */
        private void toHost() {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            OutputStream toCommand = pipe.toCommand();
            try {
                while (client.read(buffer) >= 0) {
                    closeRequest.feed(buffer.array(), buffer.position());
                    try {
                        toCommand.write(buffer.array(), 0, buffer.position());
                        toCommand.flush(); // JSch sends only what is flushed, and libvirt waits for each reply
                    } catch (IOException e) {
                        end(true);
                        return;
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // libvirt's side of the socket failed: an end of libvirt's own making, as a close is
            }
            end(false);
        }

        private void fromHost() {
            byte[] bytes = new byte[BUFFER];
            InputStream fromCommand = pipe.fromCommand();
            try {
                int n;
                while ((n = fromCommand.read(bytes)) >= 0) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, n);
                    while (buffer.hasRemaining()) {
                        client.write(buffer);
                    }
                }
            } catch (IOException e) {
                // either side failed; if libvirt's, its own end came first and this one counts for nothing
            }
            end(true);
        }

        /** @param farSide whether the relay's side ended (then why is kept, before libvirt sees the end) */
        private void end(boolean farSide) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            if (farSide && !closed && !closeRequest.seen()) {
                // A relay that exits cleanly was ended by the daemon, as after libvirt's own close request;
                // after that request virt-ssh-helper may also see the daemon's end first and exit with 1.
                endOf(pipe).filter(end -> !end.clean()).ifPresent(end -> lastLoss = "its SSH relay ended at "
                        + LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS) + " UTC: " + end.description());
            }
            closeQuietly(client);
            pipe.close();
            open.remove(client);
            open.remove(pipe);
        }
    }

    private static Optional<CommandPipe.End> endOf(CommandPipe pipe) {
        try {
            return Optional.of(pipe.end(REASON_WAIT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the relay is closing anyway; nothing is recorded
            return Optional.empty();
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
