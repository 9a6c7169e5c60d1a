package io.github.nestedvirt.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.bench.RecordedKvmUnitTestsSuite;
import io.github.nestedvirt.bench.UpstreamKvmUnitTestsSuite;
import io.github.nestedvirt.facts.KvmProbe;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The upstream kvm-unit-tests suite, for real: its tarball ({@link UpstreamKvmUnitTestsSuite}) is
 * unpacked, configured, built and run on L0 under TCG by a plan entry, about 30 tests with a 20 s
 * timeout each (the whole suite takes 5 minutes here). What each test should come to is read from
 * the suite's own {@code x86/unittests.cfg} and this machine's KVM, not written down: i386-only tests
 * and tests the suite marks {@code accel = kvm} are skipped with the runner's reason, and so are those
 * that ask QEMU for KVM itself where KVM does not work. Without the tarball the test says so and runs
 * the recorded runner output through the same plan instead.
 */
class KvmUnitTestsUpstreamSuiteTest {

    /** Tests that run under TCG in seconds and between them give PASS, FAIL, timeout and seven kinds of SKIP. */
    static final List<String> TCG_SUBSET = List.of("eventinj", "tsc", "smptest", "xsave", "umip", "smap", "memory",
            "setjmp", "syscall", "realmode", "intel_iommu", "vmexit_cpuid", "msr", "emulator", "hypercall",
            "pcid-enabled", "xapic", "vmexit_vmcall", "cmpxchg8b", "pmu", "access_fep", "access-reduced-maxphyaddr",
            "asyncpf", "vmx", "tsc_adjust", "svm_pause_filter", "svm_npt", "cet", "idt_test");

    /** A name unittests.cfg does not have: the runner passes over it in silence, as over a test it never reached. */
    static final String NO_SUCH_TEST = "nvmx_no_such_test";

    private static final Pattern SECTION = Pattern.compile("(?m)^\\[([^\\]]+)]\\s*$");

    @TempDir
    Path dir;

    @Test
    void aSubsetOfTheUpstreamSuiteRunsUnderTcgOnL0WithEveryTestsOutcomeAndSkipReason() throws Exception {
        Optional<Path> tarball = UpstreamKvmUnitTestsSuite.tarball();
        if (tarball.isEmpty()) {
            System.out.println("No kvm-unit-tests tarball in " + UpstreamKvmUnitTestsSuite.lookedAt() + " and no -D"
                    + UpstreamKvmUnitTestsSuite.PROPERTY + ": the recorded runner output stands in for the suite");
            recordedSuiteStandsIn();
            return;
        }
        List<String> named = new ArrayList<>(TCG_SUBSET);
        named.add(NO_SUCH_TEST);
        long start = System.nanoTime();
        Run run = run(tarball.get().toString(), "accel: tcg, testTimeoutSeconds: 20, tests: [" + String.join(", ", named)
                + "]");
        System.out.printf("kvm-unit-tests %s, %d tests under TCG: %.1f s (build included)%n", tarball.get().getFileName(),
                TCG_SUBSET.size(), (System.nanoTime() - start) / 1e9);

        Map<String, String> outcomes = junitOutcomes(run, "30-tests");
        outcomes.forEach((test, outcome) -> System.out.println("  " + test + ": " + outcome));
        // every named test has an outcome, and nothing else ran; the one the runner printed nothing for failed
        assertThat(outcomes.keySet()).containsExactlyInAnyOrderElementsOf(named);
        assertThat(outcomes.get(NO_SUCH_TEST)).startsWith("FAIL no outcome: the runner printed no line for it");
        long passed = count(outcomes, "PASS");
        long failed = outcomes.values().stream().filter(o -> o.startsWith("FAIL") || o.startsWith("TIMEOUT")).count();
        long skipped = count(outcomes, "SKIP");
        assertThat(passed + failed + skipped).isEqualTo(named.size());
        assertThat(metric(run, "passed").values()).containsExactly(passed);
        assertThat(metric(run, "failed").values()).containsExactly(failed);
        assertThat(metric(run, "skipped").values()).containsExactly(skipped);
        assertThat(passed).as("tests that pass under TCG: the suite was built and QEMU ran it").isPositive();
        assertThat(metric(run, "failed").variant()).containsEntry("groups", "30-tests").containsEntry("accel", "tcg");
        Set<String> failedTests = new TreeSet<>();
        outcomes.forEach((test, outcome) -> {
            if (!outcome.startsWith("PASS") && !outcome.startsWith("SKIP")) {
                failedTests.add(test);
            }
        });
        if (!failedTests.isEmpty()) {
            assertThat(new TreeSet<>(List.of(metric(run, "failed").attributes().get("failedTests").split(", "))))
                    .isEqualTo(failedTests);
        }

        Map<String, Map<String, String>> cfg = unittestsCfg(dir.resolve("work/src/x86/unittests.cfg"));
        boolean kvmWorks = new KvmProbe(KvmProbe.DEFAULT_TIMEOUT).probe(new LocalHost()).usable();
        for (String test : TCG_SUBSET) {
            Map<String, String> entry = cfg.get(test);
            assertThat(entry).as("%s in the suite's unittests.cfg", test).isNotNull();
            if ("i386".equals(entry.get("arch"))) {
                assertThat(outcomes.get(test)).as(test).isEqualTo("SKIP i386 only");
            } else if ("kvm".equals(entry.get("accel"))) {
                assertThat(outcomes.get(test)).as(test).isEqualTo("SKIP kvm only, but ACCEL=tcg");
            } else if (!kvmWorks && entry.getOrDefault("qemu_params", "").matches(".*(-enable-kvm|-cpu host).*")) {
                // the runner's words depend on how QEMU fails ("... requires KVM", "QEMU Aborted"): a SKIP either way
                assertThat(outcomes.get(test)).as(test + " asks QEMU for KVM, which does not work here")
                        .startsWith("SKIP ");
            }
        }
    }

    /** The fallback without the tarball: the recorded runner output, through the same plan entry. */
    private void recordedSuiteStandsIn() throws Exception {
        Path suite = RecordedKvmUnitTestsSuite.copyTo(dir.resolve("kvm-unit-tests"));
        Run run = run(suite.toString(), "accel: tcg");
        Map<String, String> outcomes = junitOutcomes(run, "all");
        assertThat(outcomes).hasSize(11);
        assertThat(metric(run, "passed").values()).containsExactly(count(outcomes, "PASS"));
        assertThat(metric(run, "skipped").values()).containsExactly(count(outcomes, "SKIP"));
        assertThat(metric(run, "failed").values()).containsExactly(3);
    }

    private Run run(String source, String entry) throws Exception {
        Plan plan = new PlanReader().read("""
                name: kut-upstream
                hosts:
                  l0: {level: L0, local: true}
                benchmarks:
                  - {type: kvm-unit-tests, host: l0, source: %s, workDir: %s, %s}
                """.formatted(source, dir.resolve("work"), entry), "kut-upstream.yaml");
        RunOutcome outcome = new PlanRunner(dir.resolve("results"), Progress.NONE).run(plan);
        assertThat(outcome.run().failures()).isEmpty();
        return outcome.run();
    }

    /** Each test case of the run's JUnit XML: PASS, "SKIP reason", or "FAIL ..." / "TIMEOUT ...". */
    private Map<String, String> junitOutcomes(Run run, String variant) throws Exception {
        Path junit = dir.resolve("results").resolve(run.id()).resolve("junit/kvm-unit-tests-l0-" + variant + ".xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList cases = factory.newDocumentBuilder().parse(junit.toFile()).getElementsByTagName("testcase");
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            NodeList skipped = testCase.getElementsByTagName("skipped");
            NodeList failure = testCase.getElementsByTagName("failure");
            String outcome = skipped.getLength() > 0 ? "SKIP " + ((Element) skipped.item(0)).getAttribute("message")
                    : failure.getLength() > 0 ? ((Element) failure.item(0)).getAttribute("type") + " "
                            + ((Element) failure.item(0)).getAttribute("message")
                    : "PASS";
            outcomes.put(testCase.getAttribute("name"), outcome);
        }
        return outcomes;
    }

    /** The suite's unittests.cfg: each [section]'s keys (arch, accel, qemu_params ...). */
    private static Map<String, Map<String, String>> unittestsCfg(Path file) throws Exception {
        String text = Files.readString(file);
        Map<String, Map<String, String>> sections = new HashMap<>();
        Matcher section = SECTION.matcher(text);
        int from = -1;
        String name = null;
        while (true) {
            boolean more = section.find();
            if (name != null) {
                sections.put(name, keys(text.substring(from, more ? section.start() : text.length())));
            }
            if (!more) {
                return sections;
            }
            name = section.group(1);
            from = section.end();
        }
    }

    private static Map<String, String> keys(String body) {
        Map<String, String> keys = new HashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                keys.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return keys;
    }

    private static long count(Map<String, String> outcomes, String prefix) {
        return outcomes.values().stream().filter(o -> o.startsWith(prefix)).count();
    }

    private static Measurement metric(Run run, String metric) {
        return run.measurements().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow();
    }
}
