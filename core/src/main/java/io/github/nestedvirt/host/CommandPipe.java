package io.github.nestedvirt.host;

import com.jcraft.jsch.ChannelExec;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A remote command whose standard input and output are a byte stream for the caller, e.g. a
 * protocol relay such as {@code virt-ssh-helper}. Standard error is drained by the caller or
 * ignored. Closing it closes the channel; a relay then sees end of file and exits.
 */
public final class CommandPipe implements AutoCloseable {

    private final ChannelExec channel;
    private final InputStream fromCommand;
    private final OutputStream toCommand;

    CommandPipe(ChannelExec channel, InputStream fromCommand, OutputStream toCommand) {
        this.channel = channel;
        this.fromCommand = fromCommand;
        this.toCommand = toCommand;
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

    @Override
    public void close() {
        channel.disconnect();
    }
}
