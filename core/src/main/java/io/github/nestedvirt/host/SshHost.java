package io.github.nestedvirt.host;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A host reached over SSH (L1, or L2 through L1): every command is a channel of one persistent
 * session, reconnected transparently if it dropped.
 *
 * <p>Closing an exec channel does not end the remote process (there is no pty to hang up), so
 * each command runs in its own process group whose id it reports first on stderr; on timeout or
 * interruption that whole group gets TERM, then KILL, through a second channel.
 *
 * <p>Files move through {@code cat} on exec channels rather than SFTP, because the minimal
 * guests run dropbear, which has no SFTP subsystem.
 */
public final class SshHost implements Host {

    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final Duration MARKER_WAIT = Duration.ofSeconds(2);
    /** File transfers have no timeout in {@link Host}; they end by interruption. */
    private static final Duration NO_DEADLINE = Duration.ofDays(1);
    private static final int COPY_BUFFER = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SshTarget target;
    private final SshConnections connections;
    private final boolean ownsConnections;
    private volatile boolean closed;
    /** Whether the host's {@code setsid} can wait for its child (util-linux can, busybox cannot); probed once. */
    private volatile Boolean setsidWaits;

    SshHost(SshTarget target, SshConnections connections, boolean ownsConnections) {
        this.target = target;
        this.connections = connections;
        this.ownsConnections = ownsConnections;
    }

    /**
     * A host with its own sessions for {@code target} and its whole jump chain; {@link #close()}
     * ends them all. Use {@link SshConnections#host} instead when several hosts share jump hosts.
     */
    public static SshHost connect(SshTarget target) throws HostException {
        SshConnections own = new SshConnections();
        SshHost host = new SshHost(target, own, true);
        try {
            own.session(target);
        } catch (HostException e) {
            own.close();
            throw e;
        }
        return host;
    }

    public SshTarget target() {
        return target;
    }

    @Override
    public String name() {
        return target.displayName();
    }

    @Override
    public CommandResult run(String command, Duration timeout, OutputListener listener)
            throws HostException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        // A random marker: no output of the command itself can be mistaken for it.
        String marker = "nvmx-pgid-" + HexFormat.of().formatHex(randomBytes()) + ":";
        AtomicReference<String> processGroup = new AtomicReference<>();
        OutputListener withoutMarker = (stream, line) -> {
            if (stream == OutputListener.Stream.STDERR && processGroup.get() == null && line.startsWith(marker)) {
                processGroup.set(line.substring(marker.length()).strip());
            } else {
                listener.line(stream, line);
            }
        };
        String wrapped = setsidWaits() ? inProcessGroup(command, marker) : reportingPid(command, marker);
        Exec exec = start(wrapped, false);
        ChannelExec channel = exec.channel();
        try {
            OutputDrain out = OutputDrain.start(exec.stdout(), OutputListener.Stream.STDOUT, withoutMarker, "ssh-stdout " + name());
            OutputDrain err = OutputDrain.start(exec.stderr(), OutputListener.Stream.STDERR, withoutMarker, "ssh-stderr " + name());
            try {
                boolean finished = out.awaitEnd(deadline - System.nanoTime())
                        && err.awaitEnd(deadline - System.nanoTime())
                        && awaitClosed(channel, deadline);
                if (!finished) {
                    endProcessGroup(processGroup);
                    throw new CommandTimeoutException(name(), command, timeout,
                            out.text() + "\n" + stripMarker(err.text(), marker));
                }
            } catch (InterruptedException e) {
                endProcessGroup(processGroup);
                throw e;
            }
            if (out.failure() != null || err.failure() != null) {
                IOException failure = out.failure() != null ? out.failure() : err.failure();
                throw new HostException(name(), "lost the output of the command: " + failure.getMessage(), failure);
            }
            if (channel.getExitStatus() == -1 && channel.getExitSignal() == null) {
                // sshd reports every command's end, as a status or a signal: without either, the output
                // stopped because the session did, and what arrived is not the command's whole output
                throw new HostException(name(), "the SSH session ended before the command did, after "
                        + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s: the host went away, rebooted"
                        + " or stopped answering" + keepalives() + "; nothing says how the command ended. The end"
                        + " of its output:\n" + Tails.of(out.text() + "\n" + stripMarker(err.text(), marker), 20));
            }
            return new CommandResult(command, channel.getExitStatus(), out.text(), stripMarker(err.text(), marker),
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            channel.disconnect();
        }
    }

    /** How long an unanswering host is given before its session counts as dropped. */
    private String keepalives() {
        if (target.keepaliveInterval().isZero()) {
            return "";
        }
        long millis = target.keepaliveInterval().toMillis();
        return " (a session counts as dropped when " + target.keepaliveCountMax() + " keepalives, one every "
                + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms") + ", go unanswered)";
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Wraps {@code command} so that it runs in a new session and process group (setsid) whose
     * id it prints on stderr after {@code marker} before anything else.
     */
    static String inProcessGroup(String command, String marker) {
        String inner = "echo " + marker + "$$ >&2; exec /bin/sh -c \"$1\"";
        return "exec setsid -w /bin/sh -c " + Shell.quote(inner) + " sh " + Shell.quote(command);
    }

    /**
     * Fallback without {@code setsid -w}: prints the pid of the shell that then becomes the
     * command. sshd makes that shell a process group leader (OpenSSH does); where it is not, only
     * the command and its direct children can be ended.
     */
    static String reportingPid(String command, String marker) {
        return "echo " + marker + "$$ >&2; exec /bin/sh -c " + Shell.quote(command);
    }

    private boolean setsidWaits() throws HostException, InterruptedException {
        Boolean known = setsidWaits;
        if (known == null) {
            Exec probe = start("setsid -w true >/dev/null 2>&1", false);
            try {
                awaitClosed(probe.channel(), System.nanoTime() + target.connectTimeout().toNanos());
                known = probe.channel().getExitStatus() == 0;
            } finally {
                probe.channel().disconnect();
            }
            setsidWaits = known;
        }
        return known;
    }

    /** For tests: run commands as on a host whose {@code setsid} cannot wait (busybox). */
    void assumeSetsidCannotWait() {
        setsidWaits = false;
    }

    private static String stripMarker(String stderr, String marker) {
        if (!stderr.startsWith(marker)) {
            return stderr;
        }
        int end = stderr.indexOf('\n');
        return end < 0 ? "" : stderr.substring(end + 1);
    }

    /** JSch has no blocking wait for the exit status, which arrives with or shortly after end of output. */
    private static boolean awaitClosed(ChannelExec channel, long deadline) throws InterruptedException {
        while (!channel.isClosed()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** Sends TERM to the command's process group, then KILL to whatever is left after a grace period. */
    private void endProcessGroup(AtomicReference<String> processGroup) {
        String group = awaitProcessGroup(processGroup);
        if (group == null || !group.matches("[0-9]+")) {
            return;
        }
        int tries = (int) (KILL_GRACE.toMillis() / 100);
        // The whole group if the pid leads one, else the process and its children.
        String term = "{ kill -TERM -- -" + group + " || { pkill -TERM -P " + group + "; kill -TERM " + group + "; }; } 2>/dev/null; ";
        String alive = "{ kill -0 -- -" + group + " || kill -0 " + group + "; } 2>/dev/null";
        String wait = "i=0; while " + alive + " && [ $i -lt " + tries + " ]; do sleep 0.1; i=$((i+1)); done; ";
        String kill = term + wait + "{ kill -KILL -- -" + group + " || { pkill -KILL -P " + group + "; kill -KILL " + group + "; }; } 2>/dev/null; true";
        boolean interrupted = Thread.interrupted();
        try {
            ChannelExec killer = start(kill, false).channel();
            try {
                awaitClosed(killer, System.nanoTime() + KILL_GRACE.toNanos() * 3);
            } finally {
                killer.disconnect();
            }
        } catch (HostException | InterruptedException e) {
            // The session is gone too; with it the process lost its channel. Nothing more we can do.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String awaitProcessGroup(AtomicReference<String> processGroup) {
        long end = System.nanoTime() + MARKER_WAIT.toNanos();
        while (processGroup.get() == null && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return processGroup.get();
    }

    /**
     * Starts {@code command} with its standard input and output connected to the returned pipe,
     * as a byte stream (no process group wrapper: nothing may be written before the command's own
     * output). Its standard error is drained and kept for {@link CommandPipe#end}.
     */
    public CommandPipe pipe(String command) throws HostException {
        Exec exec = start(command, true);
        OutputDrain stderr = OutputDrain.start(exec.stderr(), OutputListener.Stream.STDERR, OutputListener.NONE,
                "ssh-pipe-stderr " + name());
        return new CommandPipe(name(), exec.channel(), exec.stdout(), exec.stdin(), stderr);
    }

    /** A started exec channel and its streams ({@code stdin} only when asked for). */
    private record Exec(ChannelExec channel, InputStream stdout, InputStream stderr, OutputStream stdin) {
    }

    /**
     * Starts {@code command} on a channel of the persistent session. If the session turns out to
     * have dropped since its last use, it is opened again and the command started once more: it
     * had not run yet.
     */
    private Exec start(String command, boolean feedsStdin) throws HostException {
        if (closed) {
            throw new HostException(name(), "host is closed");
        }
        for (int attempt = 1; ; attempt++) {
            Session session = connections.session(target);
            ChannelExec channel = null;
            try {
                channel = (ChannelExec) session.openChannel("exec");
                if (channel == null) {
                    // JSch answers null, not an exception, when the session fails as the channel opens (a
                    // dropped connection it has not noticed yet): drop it, so that the retry logs in anew
                    session.disconnect();
                    throw new JSchException("the session failed as a channel was opened");
                }
                channel.setCommand(command);
                OutputStream stdin = null;
                if (feedsStdin) {
                    stdin = channel.getOutputStream();
                } else {
                    // An empty stdin, so that a command reading it sees end of file instead of waiting.
                    channel.setInputStream(new ByteArrayInputStream(new byte[0]));
                }
                // Streams must be taken before connect, or early output is lost.
                InputStream stdout = channel.getInputStream();
                InputStream stderr = channel.getErrStream();
                channel.connect((int) target.connectTimeout().toMillis());
                return new Exec(channel, stdout, stderr, stdin);
            } catch (JSchException | IOException e) {
                if (channel != null) {
                    channel.disconnect();
                }
                if (attempt == 1 && !session.isConnected()) {
                    continue;
                }
                throw new HostException(name(), "cannot start a command: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void upload(Path local, String remotePath) throws HostException, InterruptedException {
        Exec exec = start("cat > " + Shell.quote(remotePath), true);
        ChannelExec channel = exec.channel();
        try (InputStream in = Files.newInputStream(local)) {
            OutputStream remote = exec.stdin();
            OutputDrain err = OutputDrain.start(exec.stderr(), OutputListener.Stream.STDERR, OutputListener.NONE, "ssh-upload " + name());
            copy(in, remote);
            remote.close();
            err.awaitEnd(NO_DEADLINE.toNanos());
            awaitClosed(channel, System.nanoTime() + NO_DEADLINE.toNanos());
            requireSuccess(channel, "upload " + local + " to " + remotePath, err.text());
        } catch (IOException e) {
            throw new HostException(name(), "cannot upload " + local + " to " + remotePath + ": " + e.getMessage(), e);
        } finally {
            channel.disconnect();
        }
    }

    @Override
    public void download(String remotePath, Path local) throws HostException, InterruptedException {
        Exec exec = start("cat " + Shell.quote(remotePath), false);
        ChannelExec channel = exec.channel();
        Path partial = local.resolveSibling(local.getFileName() + ".part");
        try {
            InputStream remote = exec.stdout();
            OutputDrain err = OutputDrain.start(exec.stderr(), OutputListener.Stream.STDERR, OutputListener.NONE, "ssh-download " + name());
            try (OutputStream out = Files.newOutputStream(partial)) {
                copy(remote, out);
            }
            err.awaitEnd(NO_DEADLINE.toNanos());
            awaitClosed(channel, System.nanoTime() + NO_DEADLINE.toNanos());
            requireSuccess(channel, "download " + remotePath + " to " + local, err.text());
            // Only a complete copy takes the file's name.
            Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HostException(name(), "cannot download " + remotePath + " to " + local + ": " + e.getMessage(), e);
        } finally {
            channel.disconnect();
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover .part file is harmless
            }
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException, InterruptedException {
        byte[] buffer = new byte[COPY_BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException("file transfer cancelled");
            }
            out.write(buffer, 0, n);
        }
        out.flush();
    }

    private void requireSuccess(ChannelExec channel, String what, String stderr) throws HostException {
        if (channel.getExitStatus() != 0) {
            throw new HostException(name(), "cannot " + what + ": cat exited with status " + channel.getExitStatus()
                    + (stderr.isBlank() ? "" : ": " + stderr.strip()));
        }
    }

    /** Ends this host's session (and its jump chain if this host owns it). */
    @Override
    public void close() {
        closed = true;
        if (ownsConnections) {
            connections.close();
        } else {
            connections.release(target);
        }
    }
}
