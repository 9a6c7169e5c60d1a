package io.github.nestedvirt.host;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A remote command whose standard input and output are a byte stream for the caller, e.g. a
 * protocol relay such as {@code virt-ssh-helper}. Its standard error is kept aside, for
 * {@link #endReason}. Closing it closes the channel; a relay then sees end of file and exits.
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
     * Why the command's output ended, for an error message: its exit status and the end of its
     * standard error, or the SSH session to the host having ended. The exit status arrives just
     * after the end of output, and a dropped session is noticed a moment after its channels
     * close, so this waits up to {@code wait} for either.
     */
    public String endReason(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!channel.isClosed() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        if (channel.getExitStatus() >= 0) {
            stderr.awaitEnd(Math.max(1, deadline - System.nanoTime()));
            String errors = Tails.of(stderr.text(), STDERR_TAIL_LINES);
            return "the command on " + host + " exited with status " + channel.getExitStatus()
                    + ("(no output)".equals(errors) ? "" : "; its last error output: " + errors.replace('\n', ' '));
        }
        while (sessionConnected() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        if (!sessionConnected()) {
            return "the SSH session to " + host + " ended (the host went away or stopped answering"
                    + " its keepalive probes)";
        }
        return channel.isClosed()
                ? "the command on " + host + " ended without an exit status (killed by a signal)"
                : "the command on " + host + " closed its output but is still running";
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
