package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Libvirt's packets as its client sends them: length, program, version, procedure, type, serial, status, body. */
class CloseRequestWatchTest {

    private static final int KEEPALIVE_PROGRAM = 0x6b656570;

    private static byte[] packet(int program, int procedure, int bodyLength) {
        ByteBuffer packet = ByteBuffer.allocate(28 + bodyLength);
        packet.putInt(28 + bodyLength).putInt(program).putInt(1).putInt(procedure).putInt(0).putInt(7).putInt(0);
        // a body whose words look like a close request header must not count
        for (int i = 0; i + 8 <= bodyLength; i += 8) {
            packet.putInt(CloseRequestWatch.REMOTE_PROGRAM).putInt(CloseRequestWatch.CONNECT_CLOSE);
        }
        return packet.array();
    }

    private static byte[] stream(byte[]... packets) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] packet : packets) {
            all.writeBytes(packet);
        }
        return all.toByteArray();
    }

    private static boolean seenFedInPiecesOf(byte[] stream, int piece) {
        CloseRequestWatch watch = new CloseRequestWatch();
        for (int i = 0; i < stream.length; i += piece) {
            byte[] part = java.util.Arrays.copyOfRange(stream, i, Math.min(stream.length, i + piece));
            watch.feed(part, part.length);
        }
        return watch.seen();
    }

    @Test
    void callsBeforeTheCloseRequestAreNotOneWhateverTheirBodiesHold() {
        // open, get version (66), a keepalive ping with procedure 2 of its own program
        byte[] calls = stream(packet(CloseRequestWatch.REMOTE_PROGRAM, 1, 64),
                packet(CloseRequestWatch.REMOTE_PROGRAM, 66, 0), packet(KEEPALIVE_PROGRAM, 2, 0));
        for (int piece : new int[] {1, 3, 16, 4096}) {
            assertThat(seenFedInPiecesOf(calls, piece)).as("pieces of %d bytes", piece).isFalse();
        }
    }

    @Test
    void theCloseRequestIsSeenHoweverTheStreamIsCut() {
        byte[] calls = stream(packet(CloseRequestWatch.REMOTE_PROGRAM, 66, 40),
                packet(CloseRequestWatch.REMOTE_PROGRAM, CloseRequestWatch.CONNECT_CLOSE, 0));
        for (int piece : new int[] {1, 5, 17, 4096}) {
            assertThat(seenFedInPiecesOf(calls, piece)).as("pieces of %d bytes", piece).isTrue();
        }
    }
}
