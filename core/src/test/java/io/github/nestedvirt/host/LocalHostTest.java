package io.github.nestedvirt.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalHost} running real {@code /bin/sh} commands on this machine. */
class LocalHostTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final LocalHost local = new LocalHost();

    @TempDir
    Path temp;

    @Test
    void reportsExitStatusStdoutAndStderrApartAndStreamsLines() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        CommandResult result = local.run("echo one; echo two; echo problem >&2; printf 'no newline'; exit 7", TIMEOUT,
                (stream, line) -> lines.add(stream + " " + line));
        assertThat(result.exitStatus()).isEqualTo(7);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdout()).isEqualTo("one\ntwo\nno newline");
        assertThat(result.stderr()).isEqualTo("problem\n");
        assertThat(lines).containsSubsequence("STDOUT one", "STDOUT two", "STDOUT no newline").contains("STDERR problem");
    }

    @Test
    void bothStreamsAreDrainedAtOnceSoLargeOutputOnEachDoesNotBlock() throws Exception {
        // 1 MiB on each stream is far more than a pipe buffer: reading one after the other would hang.
        CommandResult result = local.run("head -c 1048576 /dev/zero | tr '\\0' e >&2; head -c 1048576 /dev/zero | tr '\\0' o",
                TIMEOUT);
        assertThat(result.stderr()).hasSize(1_048_576);
        assertThat(result.stdout()).hasSize(1_048_576);
    }

    @Test
    void timeoutEndsTheCommandAndEveryProcessItStarted() throws Exception {
        String sleeper = uniqueSleep();
        // A background child and a foreground one: both must be gone afterwards.
        assertThatThrownBy(() -> local.run(sleeper + " & " + sleeper + "; echo never", Duration.ofMillis(500)))
                .isInstanceOf(CommandTimeoutException.class)
                .hasMessageContaining("local");
        assertThat(processesLike(sleeper)).isEmpty();
    }

    @Test
    void timeoutMessageEndsWithWhereTheOutputStopped() {
        // 30 lines, then silence: a hung tool is diagnosed from its last words, on either stream
        String command = "for i in $(seq 1 30); do echo line $i; done; echo stuck here >&2; " + uniqueSleep();
        assertThatThrownBy(() -> local.run(command, Duration.ofMillis(1500)))
                .isInstanceOf(CommandTimeoutException.class)
                .hasMessageContaining("its last output:\n")
                .hasMessageContaining("line 30").hasMessageContaining("stuck here")
                .hasMessageNotContaining("line 10\n");
    }

    @Test
    void interruptEndsTheCommandAndThrowsInterruptedException() throws Exception {
        String sleeper = uniqueSleep();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                local.run(sleeper, TIMEOUT);
                outcome.set(new AssertionError("command finished although interrupted"));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        runner.start();
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (processesLike(sleeper).isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(processesLike(sleeper)).as("sleep started").isNotEmpty();
        runner.interrupt();
        runner.join(TIMEOUT.toMillis());
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(processesLike(sleeper)).isEmpty();
    }

    @Test
    void uploadAndDownloadCopyFiles() throws Exception {
        byte[] content = new byte[100_000];
        new Random(7).nextBytes(content);
        Path original = Files.write(temp.resolve("a.bin"), content);
        local.upload(original, temp.resolve("b.bin").toString());
        local.download(temp.resolve("b.bin").toString(), temp.resolve("c.bin"));
        assertThat(Files.readAllBytes(temp.resolve("c.bin"))).isEqualTo(content);
        assertThatThrownBy(() -> local.download(temp.resolve("missing").toString(), temp.resolve("d.bin")))
                .isInstanceOf(HostException.class).hasMessageContaining("missing");
    }

    @Test
    void closedHostRunsNothing() {
        local.close();
        assertThatThrownBy(() -> local.run("true", TIMEOUT)).isInstanceOf(HostException.class).hasMessageContaining("closed");
    }

    private static String uniqueSleep() {
        return "sleep " + (5000 + ThreadLocalRandom.current().nextInt(1000)) + "." + ThreadLocalRandom.current().nextInt(1000, 10000);
    }

    private static String processesLike(String commandLine) throws Exception {
        return new LocalHost().run(Shell.command("pgrep", "-x", "-f", commandLine), TIMEOUT).stdout().strip();
    }
}
