package io.github.nestedvirt.provision;

import java.nio.ByteBuffer;

/**
 * Reads the packets libvirt sends through a relay, as they pass, for its close request
 * ({@code REMOTE_PROC_CONNECT_CLOSE}). After it the daemon ends the connection and virt-ssh-helper
 * may exit with status 1 ("End of file while reading data") just as when the daemon dies: only
 * the request tells the two apart. Each packet starts with its length (itself included), program,
 * version and procedure, big-endian 32-bit words.
 */
final class CloseRequestWatch {

    static final int REMOTE_PROGRAM = 0x20008086;
    static final int CONNECT_CLOSE = 2;
    private static final int HEADER = 16;

    private final byte[] header = new byte[HEADER];
    private int filled;
    private long rest;
    private volatile boolean seen;

    /** The next {@code length} bytes libvirt sent, from the start of {@code bytes}. */
    void feed(byte[] bytes, int length) {
        int i = 0;
        while (i < length) {
            if (rest > 0) {
                int skip = (int) Math.min(rest, length - i);
                i += skip;
                rest -= skip;
                continue;
            }
            header[filled++] = bytes[i++];
            if (filled == HEADER) {
                ByteBuffer words = ByteBuffer.wrap(header);
                int packetLength = words.getInt();
                int program = words.getInt();
                words.getInt();
                if (program == REMOTE_PROGRAM && words.getInt() == CONNECT_CLOSE) {
                    seen = true;
                }
                rest = Math.max(0, (packetLength & 0xffffffffL) - HEADER);
                filled = 0;
            }
        }
    }

    /** Whether libvirt asked the daemon to close the connection. */
    boolean seen() {
        return seen;
    }
}
