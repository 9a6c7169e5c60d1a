package io.github.nestedvirt.trend;

import static io.github.nestedvirt.trend.FixtureRuns.kernelBuild;
import static io.github.nestedvirt.trend.FixtureRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Summary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class BuildSummaryTest {

    private static final Run RECORDED = FixtureRuns.recorded();

    @Test
    void aMetricKeepsTheMedianIntervalAndCountOfTheSamplesWithoutWarmups() {
        MetricSummary guestfish = BuildSummary.of(RECORDED).metric("guestfish-launch/seconds@L0").orElseThrow();

        // the loop timed 10 launches; the first (28 s, a cold cache) is a warm-up
        assertThat(guestfish.getN()).isEqualTo(9);
        assertThat(guestfish.getMedian()).isEqualTo(2.705);
        Summary statistics = Summary.of(2.812, 2.705, 2.690, 2.733, 2.701, 2.745, 2.688, 2.720, 2.699);
        assertThat(guestfish.getLow()).isCloseTo(statistics.ciLow(), within(1e-12));
        assertThat(guestfish.getHigh()).isCloseTo(statistics.ciHigh(), within(1e-12));
        assertThat(guestfish.getLow()).isLessThan(guestfish.getMedian());
        assertThat(guestfish.getHigh()).isGreaterThan(guestfish.getMedian());
        assertThat(guestfish.isHigherBetter()).isFalse();
        assertThat(guestfish.getUnit()).isEqualTo("s");
        assertThat(guestfish.getLevel()).isEqualTo("L0");
        assertThat(guestfish.getHosts()).isEqualTo("l0");
    }

    @Test
    void aRunMeasuredOnThisMachineKeepsOneSummaryPerMetric() {
        Run measured = FixtureRuns.measuredHere();

        BuildSummary summary = BuildSummary.of(measured);

        assertThat(summary.getResultsId()).isEqualTo("trend-fixture");
        assertThat(summary.getMetrics()).extracting(MetricSummary::getKey).containsExactly(
                "guestfish-launch/seconds@L0,backend=direct,backendSettings=force_tcg",
                "io-scan/seconds@L0,dropCaches=false,paths=/usr/share/doc,xdev=true",
                "io-scan/throughput@L0,dropCaches=false,paths=/usr/share/doc,xdev=true");
        for (Measurement measurement : measured.measurements()) {
            Summary statistics = Summary.of(measurement);
            MetricSummary metric = summary.metric(measurement.key()).orElseThrow();
            assertThat(metric.getN()).isEqualTo(3).isEqualTo(statistics.n());
            assertThat(metric.getMedian()).isEqualTo(statistics.median());
            assertThat(metric.getLow()).isEqualTo(statistics.ciLow());
            assertThat(metric.getHigh()).isEqualTo(statistics.ciHigh());
            assertThat(metric.isHigherBetter()).isEqualTo(measurement.metric().equals("throughput"));
        }
    }

    @Test
    void metricsAreKeyedByBenchmarkMetricLevelAndVariant() {
        BuildSummary summary = BuildSummary.of(RECORDED);

        MetricSummary shadowOff = summary.metric("kernel-build/seconds@L2,mmu=ept-on-ept,shadowVmcs=off")
                .orElseThrow();
        assertThat(shadowOff.getMedian()).isEqualTo(1920);
        assertThat(shadowOff.getVariant()).isEqualTo("mmu=ept-on-ept,shadowVmcs=off");
        assertThat(shadowOff.getBenchmark()).isEqualTo("kernel-build");
        assertThat(shadowOff.getMetric()).isEqualTo("seconds");
        assertThat(summary.metric("kernel-build/seconds@L2")).isEmpty();
        assertThat(summary.getRunId()).isEqualTo(RECORDED.id());
        assertThat(summary.getFailures()).isEqualTo(1);
    }

    @Test
    void kvmUnitTestsCountsComeFromTheRunnersOutput() {
        BuildSummary summary = BuildSummary.of(RECORDED);

        // runner.txt: 5 PASS, 2 FAIL, 1 FAIL (timeout), 3 SKIP
        assertThat(summary.hasKvmUnitTests()).isTrue();
        assertThat(summary.getKutPassed()).isEqualTo(5);
        assertThat(summary.getKutFailed()).isEqualTo(2);
        assertThat(summary.getKutTimeouts()).isEqualTo(1);
        assertThat(summary.getKutSkipped()).isEqualTo(3);
    }

    @Test
    void aRunWithoutKvmUnitTestsSaysSo() {
        BuildSummary summary = BuildSummary.of(run(0, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 600, 610))));

        assertThat(summary.hasKvmUnitTests()).isFalse();
        assertThat(summary.getKutPassed()).isZero();
    }

    @Test
    void twoHostsOfOneLevelMeasuringTheSameMakeOneMetricOfAllTheirSamples() {
        Measurement a = FixtureRuns.measurement("kernel-build", "seconds", Level.L2, "l2-a", Map.of(), "s",
                io.github.nestedvirt.result.Better.LOWER, 100, 101, 102);
        Measurement b = FixtureRuns.measurement("kernel-build", "seconds", Level.L2, "l2-b", Map.of(), "s",
                io.github.nestedvirt.result.Better.LOWER, 110, 111);

        BuildSummary summary = BuildSummary.of(run(0, "6.1", List.of(a, b)));

        assertThat(summary.getMetrics()).hasSize(1);
        MetricSummary metric = summary.getMetrics().get(0);
        assertThat(metric.getN()).isEqualTo(5);
        assertThat(metric.getMedian()).isEqualTo(102);
        assertThat(metric.getHosts()).isEqualTo("l2-a,l2-b");
    }

    @Test
    void theResultsIdIsThePlanUnlessGiven() {
        assertThat(BuildSummary.of(RECORDED).getResultsId()).isEqualTo("seed");
        assertThat(BuildSummary.of("nightly-l2", RECORDED).getResultsId()).isEqualTo("nightly-l2");
    }

    @Test
    void itsSizeDoesNotGrowWithTheSamplesAndStaysFarBelowTheResult() throws IOException {
        Run tenSamples = run(0, "6.1", List.of(kernelBuild(Level.L1, Map.of(), samples(10)),
                kernelBuild(Level.L2, Map.of("shadowVmcs", "on"), samples(10))));
        Run thousandSamples = run(0, "6.1", List.of(kernelBuild(Level.L1, Map.of(), samples(1000)),
                kernelBuild(Level.L2, Map.of("shadowVmcs", "on"), samples(1000))));

        int small = serialized(BuildSummary.of(tenSamples)).length;
        assertThat(serialized(BuildSummary.of(thousandSamples))).hasSize(small);

        byte[] summary = serialized(BuildSummary.of(RECORDED));
        // the whole seed-like run: 22 metrics in a few kilobytes, a fraction of its result file
        assertThat(summary.length).isLessThan(6 * 1024);
        assertThat(summary.length).isLessThan(ResultJson.write(RECORDED).length / 3);
    }

    @Test
    void itSurvivesSerialization() throws Exception {
        BuildSummary summary = BuildSummary.of(RECORDED);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized(summary)))) {
            BuildSummary read = (BuildSummary) in.readObject();

            assertThat(read.getMetrics()).extracting(MetricSummary::toString)
                    .containsExactlyElementsOf(summary.getMetrics().stream().map(MetricSummary::toString).toList());
            assertThat(read.getKutPassed()).isEqualTo(5);
            assertThat(read.getResultsId()).isEqualTo("seed");
        }
    }

    @Test
    void whatJenkinsStoresHoldsOnlyCollectionsXStreamCanRebuild() throws Exception {
        // Jenkins writes the summary and the gate settings into build.xml and config.xml with XStream,
        // which cannot rebuild the JDK's immutable collections (List.of, List.copyOf, toList())
        BuildSummary summary = BuildSummary.of("kernel", RECORDED);
        QualityGate gate = new QualityGate(BaselineChoice.MEDIAN_OF_LAST_N, 5, 0, GateStatus.UNSTABLE);
        List<Object> stored = new ArrayList<>(List.of(summary, gate));
        stored.addAll(summary.getMetrics());

        for (Object object : stored) {
            for (Field field : object.getClass().getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || Modifier.isTransient(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object value = field.get(object);
                if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
                    assertThat(value.getClass()).as(object.getClass().getSimpleName() + "." + field.getName())
                            .isIn(ArrayList.class, TreeMap.class, LinkedHashMap.class, HashMap.class);
                }
            }
        }
        assertThat(summary.getMetrics()).isNotEmpty();
    }

    private static double[] samples(int n) {
        return DoubleStream.iterate(600, v -> v + 0.5).limit(n).toArray();
    }

    private static byte[] serialized(Object object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }
}
