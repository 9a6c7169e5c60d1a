package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.facts.KvmStatus;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Sample;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {

    private static final String FIRST = "20250101-120000-00000a";
    private static final String SECOND = "20250102-120000-00000b";
    private static final String THIRD = "20250103-120000-00000c";

    @TempDir
    Path results;

    @Test
    void slowerLatestRunIsARegressionWithExitCode6() throws Exception {
        store(FIRST, "6.1.0-18-amd64", 100, 101, 99, 100.5);
        store(SECOND, "6.1.0-18-amd64", 110, 111, 109, 110.5);

        NvmxCall call = NvmxCall.of("compare", results.toString());

        assertThat(call.exitCode()).as(call.err()).isEqualTo(ExitCode.REGRESSION_FOUND);
        assertThat(call.out()).contains("Run " + SECOND + " against previous run " + FIRST)
                .containsPattern("kernel-build/seconds@L1,shadowVmcs=on +l1 +100\\.3 s +110\\.3 s +\\+10\\.0% "
                        + "+\\[\\+8\\.\\d%, \\+11\\.\\d%\\] +<0\\.001 +REGRESSION")
                .contains("(Welch's t, alpha 0.05, thresholds 3%)").contains("Fingerprints: alike")
                .containsPattern("kernel-build/seconds L1/L0 shadowVmcs=on \\(l1 over l0\\) +1\\.\\d+");
    }

    @Test
    void thresholdsAboveTheChangeGiveNoChangeAndExitZero() {
        store(FIRST, "6.1.0-18-amd64", 100, 101, 99, 100.5);
        store(SECOND, "6.1.0-18-amd64", 110, 111, 109, 110.5);

        NvmxCall call = NvmxCall.of("compare", results.toString(), "--threshold-percent", "12");

        assertThat(call.exitCode()).as(call.err()).isEqualTo(ExitCode.OK);
        assertThat(call.out()).contains("NO_CHANGE");
    }

    @Test
    void chosenRunsAcrossKernelsAreNotComparableAndSayWhyInJson() throws Exception {
        store(FIRST, "6.1.0-18-amd64", 100, 101, 99, 100.5);
        store(SECOND, "6.6.8-amd64", 130, 131, 129, 130.5);
        store(THIRD, "6.1.0-18-amd64", 100, 101, 99, 100.5);

        NvmxCall call = NvmxCall.of("compare", results.toString(), "--run", SECOND, "--baseline", FIRST, "--json");

        assertThat(call.exitCode()).as(call.err()).isEqualTo(ExitCode.OK);
        JsonNode json = ResultJson.mapper().readTree(call.out());
        assertThat(json.get("candidate").asText()).isEqualTo(SECOND);
        JsonNode l0 = json.get("comparisons").get(0);
        JsonNode build = json.get("comparisons").get(1);
        // L0's figure does not depend on L1's kernel: it keeps its verdict
        assertThat(l0.get("key").asText()).isEqualTo("kernel-build/seconds@L0");
        assertThat(l0.get("verdict").asText()).isEqualTo("NO_CHANGE");
        assertThat(build.get("verdict").asText()).isEqualTo("NOT_COMPARABLE");
        assertThat(build.get("percentChange").asDouble()).isBetween(29.9, 30.1);
        assertThat(json.get("fingerprintDifferences").get(0).asText())
                .isEqualTo("l1 kernel: 6.1.0-18-amd64 -> 6.6.8-amd64");
    }

    @Test
    void medianOfTheLastRuns() {
        store(FIRST, "6.1.0-18-amd64", 100, 101, 99);
        store(SECOND, "6.1.0-18-amd64", 102, 103, 101);
        store(THIRD, "6.1.0-18-amd64", 101, 101.5, 100.5);

        NvmxCall call = NvmxCall.of("compare", results.toString(), "--baseline", "median:2");

        assertThat(call.exitCode()).as(call.err()).isEqualTo(ExitCode.OK);
        assertThat(call.out()).contains("against medians of the last 2 runs (" + FIRST + " to " + SECOND + ")")
                .contains("NO_CHANGE");
    }

    @Test
    void badBaselineAndUnknownRunAreBadInput() {
        store(FIRST, "6.1.0-18-amd64", 100, 101, 99);

        NvmxCall bad = NvmxCall.of("compare", results.toString(), "--baseline", "yesterday");
        NvmxCall oldest = NvmxCall.of("compare", results.toString());
        NvmxCall missing = NvmxCall.of("compare", results.toString(), "--run", THIRD);

        assertThat(bad.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(bad.err()).contains("baseline: expected previous, a run id (yyyyMMdd-HHmmss-xxxxxx) or median:N,"
                + " got 'yesterday'");
        assertThat(oldest.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(oldest.err()).contains("is the oldest run; there is no previous run");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(missing.err()).contains("--run: no run " + THIRD);
    }

    @Test
    void helpListsTheRegressionExitCode() {
        assertThat(NvmxCall.of("--help").out()).contains("6    compare found a regression");
    }

    private void store(String id, String l1Kernel, double... l1Seconds) {
        List<HostFacts> fingerprint = List.of(facts(Level.L0, "l0", "6.1.0-18-amd64"), facts(Level.L1, "l1", l1Kernel));
        List<Measurement> measurements = List.of(
                new Measurement("kernel-build", "seconds", Level.L0, "l0", Map.of(), "s", Better.LOWER,
                        samples(60, 61, 59, 60.5), Map.of()),
                new Measurement("kernel-build", "seconds", Level.L1, "l1", Map.of("shadowVmcs", "on"), "s",
                        Better.LOWER, samples(l1Seconds), Map.of()));
        Instant start = Instant.parse(id.substring(0, 4) + "-" + id.substring(4, 6) + "-" + id.substring(6, 8)
                + "T12:00:00Z");
        try {
            new ResultStore(results).save(new Run(Run.SCHEMA_VERSION, id, start, start.plusSeconds(600), "lab",
                    fingerprint, measurements, List.of()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Sample> samples(double... values) {
        return Arrays.stream(values).mapToObj(Sample::of).toList();
    }

    private static HostFacts facts(Level level, String host, String kernel) {
        return new HostFacts(level, host, host, "GenuineIntel", "Intel Xeon E5-2680 v2", List.of("vmx"), 4, 8L << 30,
                kernel, "7.2.19", "9.0.0", "kvm_intel", Map.of("nested", "Y", "enable_shadow_vmcs", "Y"),
                new KvmStatus(KvmStatus.State.USABLE, "probe guest ran"));
    }
}
