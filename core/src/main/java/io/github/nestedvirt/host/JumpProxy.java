package io.github.nestedvirt.host;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Carries an SSH connection inside a {@code direct-tcpip} channel of the jump host's session,
 * which is what {@code ssh -J} does.
 *
 * <p>Chosen over a local port forward because it opens no listening port that other local
 * processes could use, needs no free port, and the tunnel ends with the channel: nothing to
 * clean up when the inner session is closed.
 */
final class JumpProxy implements Proxy {

    private final Session jump;
    private Channel channel;
    private InputStream in;
    private OutputStream out;

    JumpProxy(Session jump) {
        this.jump = jump;
    }

    @Override
    public void connect(SocketFactory socketFactory, String host, int port, int timeout) throws Exception {
        channel = jump.getStreamForwarder(host, port);
        // The streams must be taken before connect, or the first bytes of the server are lost.
        in = channel.getInputStream();
        out = channel.getOutputStream();
        channel.connect(timeout);
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public Socket getSocket() {
        return null;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.disconnect();
        }
    }
}
