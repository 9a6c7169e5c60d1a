package io.github.nestedvirt.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Reads one output stream of a running command on its own thread until end of stream, keeping
 * every byte and handing each complete line to an {@link OutputListener}.
 *
 * <p>Both streams of a command must be drained at the same time: a command that fills the pipe
 * of the stream nobody reads blocks forever.
 */
final class OutputDrain {

    private final InputStream in;
    private final OutputListener.Stream stream;
    private final OutputListener listener;
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile IOException failure;
    private volatile RuntimeException listenerFailure;

    private OutputDrain(InputStream in, OutputListener.Stream stream, OutputListener listener, String threadName) {
        this.in = in;
        this.stream = stream;
        this.listener = listener;
        this.thread = new Thread(this::drain, threadName);
        thread.setDaemon(true);
    }

    /** Starts draining {@code in} on a new daemon thread. */
    static OutputDrain start(InputStream in, OutputListener.Stream stream, OutputListener listener, String threadName) {
        OutputDrain drain = new OutputDrain(in, stream, listener, threadName);
        drain.thread.start();
        return drain;
    }

    private void drain() {
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
                emitLines(buffer, n);
            }
        } catch (IOException e) {
            failure = e;
        }
        if (line.size() > 0) {
            emit();
        }
    }

    private void emitLines(byte[] buffer, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
                line.write(buffer, start, i - start);
                emit();
                start = i + 1;
            }
        }
        line.write(buffer, start, n - start);
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        try {
            listener.line(stream, text);
        } catch (RuntimeException e) {
            // A failing progress display must not stop the draining, or the command would block.
            listenerFailure = e;
        }
    }

    /** Waits up to {@code nanos} for end of stream; returns whether it was reached. */
    boolean awaitEnd(long nanos) throws InterruptedException {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        return !thread.isAlive();
    }

    /** Everything read so far, decoded as UTF-8: all of it once {@link #awaitEnd} returned true. */
    String text() {
        return all.toString(StandardCharsets.UTF_8);
    }

    /** The last exception the listener threw (its lines were still captured), or null. */
    RuntimeException listenerFailure() {
        return listenerFailure;
    }

    /** The read error that ended draining early, or null. */
    IOException failure() {
        return failure;
    }
}
