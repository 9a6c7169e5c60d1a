package io.github.nestedvirt.host;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A remote command whose standard input and output are a byte stream for the caller, e.g. a
 * protocol relay such as {@code virt-ssh-helper}. Its standard error is kept aside, for
 * {@link #end}. Closing it closes the channel; a relay then sees end of file and exits.
 */
public final class CommandPipe implements AutoCloseable {

    /** Lines of the command's standard error an end reason quotes. */
    static final int STDERR_TAIL_LINES = 5;

    private final String host;
    private final ChannelExec channel;
    private final InputStream fromCommand;
    private final OutputStream toCommand;
    private final OutputDrain stderr;

    CommandPipe(String host, ChannelExec channel, InputStream fromCommand, OutputStream toCommand, OutputDrain stderr) {
        this.host = host;
        this.channel = channel;
        this.fromCommand = fromCommand;
        this.toCommand = toCommand;
        this.stderr = stderr;
    }

    /** What the command writes on its standard output. */
    public InputStream fromCommand() {
        return fromCommand;
    }

    /** The command's standard input. */
    public OutputStream toCommand() {
        return toCommand;
    }

    /** Whether the command has ended (or the channel is gone). */
    public boolean ended() {
        return channel.isClosed() || !channel.isConnected();
    }

    /**
     * How the command ended, once its output has: its exit status and the end of its standard
     * error, or the SSH session to the host having ended. The exit status arrives just after the
     * end of output, and a dropped session is noticed a moment after its channels close, so this
     * waits up to {@code wait} for either.
     */
    public End end(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!channel.isClosed() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        int status = channel.getExitStatus();
        if (status >= 0) {
            stderr.awaitEnd(Math.max(1, deadline - System.nanoTime()));
            String errors = stderr.text().isBlank() ? "" : Tails.of(stderr.text(), STDERR_TAIL_LINES);
            return new End(status, errors.isEmpty(), "the command on " + host + " exited with status " + status
                    + (errors.isEmpty() ? "" : "; its last error output: " + errors.replace('\n', ' ')));
        }
        while (sessionConnected() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        if (!sessionConnected()) {
            return new End(status, false, "the SSH session to " + host + " ended (the host went away or stopped"
                    + " answering its keepalive probes)");
        }
        return new End(status, false, channel.isClosed()
                ? "the command on " + host + " ended without an exit status (killed by a signal)"
                : "the command on " + host + " closed its output but is still running");
    }

    /**
     * How a piped command ended.
     *
     * @param exitStatus its exit status, or -1 when none came
     * @param quiet whether it printed nothing on standard error
     * @param description for an error message, e.g. "the command on root@l1:22 exited with status 1; ..."
     */
    public record End(int exitStatus, boolean quiet, String description) {

        /** Exit status 0 and no error output: the command finished its work, as a relay does when the daemon ends the conversation. */
        public boolean clean() {
            return exitStatus == 0 && quiet;
        }
    }

    private boolean sessionConnected() {
        try {
            return channel.getSession().isConnected();
        } catch (JSchException e) {
            return false; // a channel without a session has nothing left
        }
    }

    @Override
    public void close() {
        channel.disconnect();
    }
}
