package io.github.nestedvirt.host;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * Latency of one remote command ({@code true}) over the persistent {@link SshHost} session,
 * one hop (l1) and two hops (l2 via l1), next to a fresh system {@code ssh} process per command
 * against the same servers ({@code ssh -J} for two hops). Uses {@link SshTestBed}, so it needs
 * root. Not a test: it prints figures and asserts nothing.
 *
 * <p>Arguments: number of measured commands (default 200), number of warm-up commands (default 20).
 */
public final class SshLatencyBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SshLatencyBenchmark() {
    }

    /** Something that runs {@code true} on a host once. */
    private interface Command {
        void runOnce() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (SshTestBed bed = SshTestBed.start();
                SshConnections connections = new SshConnections()) {
            SshHost l1 = connections.host(bed.l1());
            SshHost l2 = connections.host(bed.l2Via(bed.l1()));
            String config = bed.sshConfig().toString();
            String l1Login = "root@" + bed.l1Address();
            String l2Login = "root@" + bed.l2Address();
            System.out.printf(Locale.ROOT, "%d commands after %d warm-up commands, milliseconds per command%n", count, warmup);
            System.out.printf(Locale.ROOT, "%-36s %8s %8s %8s%n", "", "median", "mean", "p95");
            double jsch1 = report("JSch persistent session, 1 hop", measure(() -> l1.run("true", TIMEOUT).orThrow(l1.name()), count, warmup));
            double ssh1 = report("system ssh per command, 1 hop", measure(() -> system("ssh", "-F", config, l1Login, "true"), count, warmup));
            double jsch2 = report("JSch persistent session, 2 hops", measure(() -> l2.run("true", TIMEOUT).orThrow(l2.name()), count, warmup));
            double ssh2 = report("system ssh -J per command, 2 hops", measure(() -> system("ssh", "-F", config, "-J", l1Login, l2Login, "true"), count, warmup));
            System.out.printf(Locale.ROOT, "median ratio system ssh / JSch: 1 hop %.1fx, 2 hops %.1fx%n", ssh1 / jsch1, ssh2 / jsch2);
        }
    }

    private static double[] measure(Command command, int count, int warmup) throws Exception {
        for (int i = 0; i < warmup; i++) {
            command.runOnce();
        }
        double[] millis = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            command.runOnce();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return millis;
    }

    private static double report(String what, double[] millis) {
        double median = Median.withDefaults().evaluate(millis);
        System.out.printf(Locale.ROOT, "%-36s %8.2f %8.2f %8.2f%n", what, median,
                Mean.of(millis).getAsDouble(), Quantile.withDefaults().evaluate(millis, 0.95));
        return median;
    }

    private static void system(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
