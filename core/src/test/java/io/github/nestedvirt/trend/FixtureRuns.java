package io.github.nestedvirt.trend;

import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.facts.KvmStatus;
import io.github.nestedvirt.imports.ImportFormat;
import io.github.nestedvirt.imports.ImportRequest;
import io.github.nestedvirt.imports.Importer;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs for the trend tests. {@link #recorded()} is made of real tool output (the fixtures of the
 * parsers: a guestfish loop, kvm-unit-tests' runner, kvm_stat's log) read by the importer, plus
 * kernel builds, written to JSON and read back as a stored result is.
 */
final class FixtureRuns {

    static final Instant START = Instant.parse("2025-03-14T10:00:00Z");

    private FixtureRuns() {
    }

    /** A run with guestfish on L0 and L1, kernel builds on L1 and L2 in every variant, kvm-unit-tests and kvm_stat. */
    static Run recorded() {
        List<Measurement> measurements = new ArrayList<>();
        measurements.addAll(imported(ImportFormat.GUESTFISH_LOOP, "/io/github/nestedvirt/imports/guestfish-loop.txt",
                Level.L0, "l0", Map.of()));
        measurements.addAll(imported(ImportFormat.GUESTFISH_LOOP, "/io/github/nestedvirt/imports/guestfish-loop.txt",
                Level.L1, "l1", Map.of()));
        measurements.add(kernelBuild(Level.L1, Map.of(), 600, 610, 605));
        measurements.add(kernelBuild(Level.L2, Map.of("shadowVmcs", "on", "mmu", "ept-on-ept"), 1400, 1420, 1410));
        measurements.add(kernelBuild(Level.L2, Map.of("shadowVmcs", "off", "mmu", "ept-on-ept"), 1900, 1950, 1920));
        measurements.add(kernelBuild(Level.L2, Map.of("shadowVmcs", "on", "mmu", "shadow-on-ept"), 2500, 2550, 2520));
        measurements.addAll(imported(ImportFormat.KVM_UNIT_TESTS, "/io/github/nestedvirt/kut/runner.txt", Level.L1,
                "l1", Map.of()));
        measurements.addAll(imported(ImportFormat.KVM_STAT, "/io/github/nestedvirt/kvmstat/log.txt", Level.L0, "l0",
                Map.of()));
        Run run = new Run(Run.SCHEMA_VERSION, "20250314-100000-a1b2c3", START, START.plus(Duration.ofHours(2)),
                "seed", List.of(host(Level.L0, "l0", "6.1.0-31-amd64"), host(Level.L1, "l1", "6.1.0-31-amd64")),
                measurements, List.of("network-throughput@L2: guest l2 unreachable over SSH after 300 s"));
        try {
            return ResultJson.readRun(ResultJson.write(run), "result.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A run that {@code nvmx run} stored on our CI machine (2 vCPUs, KVM unusable, so the guestfish
     * appliance under TCG; other builds running): 3 guestfish launches and 3 scans of
     * {@code /usr/share/doc} on L0, each after a warm-up run.
     */
    static Run measuredHere() {
        String resource = "/io/github/nestedvirt/trend/measured-here-l0.json";
        try (InputStream in = FixtureRuns.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " missing");
            }
            return ResultJson.readRun(in.readAllBytes(), resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Measurement kernelBuild(Level level, Map<String, String> variant, double... seconds) {
        return measurement("kernel-build", "seconds", level, level.name().toLowerCase(), variant, "s", Better.LOWER,
                seconds);
    }

    static Measurement measurement(String benchmark, String metric, Level level, String host,
            Map<String, String> variant, String unit, Better better, double... values) {
        List<Sample> samples = new ArrayList<>();
        for (double value : values) {
            samples.add(Sample.of(value));
        }
        return new Measurement(benchmark, metric, level, host, variant, unit, better, samples,
                Map.of("accelerator", "tcg"));
    }

    /** A run {@code index} days after {@link #START} with these measurements, measured on hosts with {@code kernel}. */
    static Run run(int index, String kernel, List<Measurement> measurements) {
        Instant start = START.plus(Duration.ofDays(index));
        return new Run(Run.SCHEMA_VERSION, String.format("20250314-1000%02d-00000%x", index % 60, index % 16), start,
                start.plus(Duration.ofHours(1)), "seed", List.of(host(Level.L0, "l0", kernel),
                        host(Level.L1, "l1", kernel)), measurements, List.of());
    }

    static HostFacts host(Level level, String name, String kernel) {
        return new HostFacts(level, name, name + ".example", "GenuineIntel", "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz",
                List.of("fpu", "vmx", "ept"), 4, 8L << 30, kernel, "7.2.15", "9.0.0", "kvm_intel",
                Map.of("nested", "Y", "ept", "Y", "enable_shadow_vmcs", "Y"),
                new KvmStatus(KvmStatus.State.UNUSABLE, "qemu aborted: KVM_CREATE_VM failed"));
    }

    private static List<Measurement> imported(ImportFormat format, String resource, Level level, String host,
            Map<String, String> variant) {
        try (InputStream in = FixtureRuns.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " missing");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            ImportRequest request = new ImportRequest(format, Path.of(resource), null, null, level, host, variant,
                    null, null, START);
            return Importer.measurements(request, resource, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
