package io.github.nestedvirt.provision;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.Tails;
import io.github.nestedvirt.plan.RunOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A TCG L1 that stopped answering while its own KVM ran a guest on the SVM QEMU emulates: seen in CI
 * runs here (kvm-unit-tests' {@code msr}, an L2's define), never on demand. QEMU's fault, not the
 * engine's; the engine's part is to say so, and it does: the failure names the SSH session that ended.
 * The tests that drive the L1's KVM try once more in a new L1 when that happens. Watching a run's
 * progress, this keeps what L0 still sees of the lost L1 before the run's teardown removes it: the
 * end of its serial console and what QEMU's threads were doing (spinning or blocked), which tell a
 * guest kernel's lockup from a stuck QEMU.
 */
final class LostL1 {

    /** What {@code SshHost} and {@code CommandPipe} say when the session under a command ends. */
    private static final List<String> SESSION_ENDED = List.of("the SSH session ended before the command did",
            "stopped answering its keepalive probes");

    private final String l1;
    private final Path serialLog;
    private final List<String> evidence = new ArrayList<>();

    LostL1(String l1, Path serialLog) {
        this.l1 = l1;
        this.serialLog = serialLog;
    }

    /** Whether {@code failure} says the session to a host ended under the engine. */
    static boolean in(String failure) {
        return failure != null && SESSION_ENDED.stream().anyMatch(failure::contains);
    }

    /** Whether {@code e} or one of its causes says so. */
    static boolean in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (in(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** A plan run, e.g. {@code () -> runner.run(plan)}. */
    @FunctionalInterface
    interface PlanRun {
        RunOutcome run() throws Exception;
    }

    /** Progress that prints each line with the seconds since {@code start} and watches it for a lost L1. */
    Progress timed(long start) {
        return Progress.lines(message -> {
            System.out.printf("  [%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, message);
            seen(message);
        });
    }

    /**
     * The outcome of {@code run}, its failures printed with what was kept of the L1; empty when the L1
     * was lost (while provisioned, or under a benchmark) and {@code mayTryAgain}, after saying so.
     */
    Optional<RunOutcome> run(PlanRun run, boolean mayTryAgain) throws Exception {
        RunOutcome outcome;
        try {
            outcome = run.run();
        } catch (HostException | RuntimeException e) {
            if (!mayTryAgain || !in(e)) {
                throw e;
            }
            // the engine's failure carries the end of the L1's console
            System.out.println("The L1 stopped answering while it was provisioned: " + e.getMessage()
                    + "\nonce more, in a new L1");
            return Optional.empty();
        }
        List<String> failures = outcome.run().failures();
        if (!failures.isEmpty()) {
            System.out.println("Failures: " + failures + "\n" + evidence());
            if (mayTryAgain && failures.stream().anyMatch(LostL1::in)) {
                System.out.println("The L1 stopped answering under its own KVM: once more, in a new L1");
                return Optional.empty();
            }
        }
        return Optional.of(outcome);
    }

    /** A line of the run's progress: a benchmark that failed on a lost session has the L1 looked at now. */
    private void seen(String progressLine) {
        if (progressLine.startsWith("Failed: ") && in(progressLine)) {
            evidence.add(look());
        }
    }

    /** What was kept of the L1 when it was lost, or a line saying nothing was. */
    private String evidence() {
        return evidence.isEmpty() ? "(no benchmark failed on a lost session: the failure itself says what is known)"
                : String.join("\n", evidence);
    }

    private String look() {
        StringBuilder seen = new StringBuilder("the end of " + l1 + "'s serial console " + serialLog + ":\n");
        try {
            seen.append(Files.exists(serialLog)
                    ? Tails.of(new String(Files.readAllBytes(serialLog), StandardCharsets.ISO_8859_1), 40)
                    : "(none)").append('\n');
            seen.append(qemuThreads());
        } catch (IOException e) {
            seen.append("(could not read: ").append(e.getMessage()).append(")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return seen.toString();
    }

    /** Each thread of the L1's QEMU with its state and the CPU time it used over one second. */
    private String qemuThreads() throws IOException, InterruptedException {
        Path pidFile = Path.of("/run/libvirt/qemu", l1 + ".pid");
        if (!Files.exists(pidFile)) {
            return "(no " + pidFile + ": the L1's QEMU is gone)";
        }
        Path tasks = Path.of("/proc", Files.readString(pidFile).trim(), "task");
        Map<String, long[]> before = ticks(tasks);
        Thread.sleep(1000);
        Map<String, long[]> after = ticks(tasks);
        StringBuilder threads = new StringBuilder("its QEMU's threads (state, CPU ticks in 1 s; R and ~100 is spinning):\n");
        after.forEach((thread, now) -> {
            long[] then = before.get(thread);
            threads.append("  ").append(thread).append(": ").append((char) now[0])
                    .append(' ').append(then == null ? "?" : String.valueOf(now[1] - then[1])).append('\n');
        });
        return threads.toString();
    }

    /** Thread "TID comm" to {state, utime + stime}, from /proc/PID/task/TID/stat. */
    private static Map<String, long[]> ticks(Path tasks) throws IOException {
        Map<String, long[]> ticks = new LinkedHashMap<>();
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.sorted().toList()) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // "tid (comm) S ppid ..." where comm may hold spaces: the fields after it start at 3
                int close = stat.lastIndexOf(')');
                String[] fields = stat.substring(close + 2).split(" ");
                ticks.put(thread.getFileName() + " " + stat.substring(stat.indexOf('(') + 1, close),
                        new long[] {fields[0].charAt(0), Long.parseLong(fields[11]) + Long.parseLong(fields[12])});
            }
        }
        return ticks;
    }
}
