package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.bench.UpstreamKvmUnitTestsSuite;
import io.github.nestedvirt.kvm.KvmModuleReload;
import io.github.nestedvirt.plan.PlanReader;
import io.github.nestedvirt.plan.PlanRunner;
import io.github.nestedvirt.plan.RunOutcome;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The upstream kvm-unit-tests suite inside a real guest hypervisor: a TCG L1 of
 * {@link TestHypervisorImage} (this machine's files, so the tarball and the compiler are at the same
 * paths) builds the suite and runs its svm tests under its own KVM, which kvm_amd gives it on the
 * SVM that QEMU emulates: each test's guest runs a guest of its own, a real nested run. Needs root,
 * a running libvirtd ({@code scripts/start-libvirt.sh}) and the tarball ({@link UpstreamKvmUnitTestsSuite}).
 */
@Tag("libvirt")
class KvmUnitTestsL1Test {

    /** The nested SVM tests, and two tests that need no nesting to compare with. */
    static final List<String> TESTS = List.of("svm_npt", "svm_pause_filter", "svm", "vmexit_cpuid", "msr");
    /** The svm test's 40-odd nested guests take longer than this here: it ends as a timeout, a failure. */
    static final int TIMEOUT_SECONDS = 60;
    /** A SKIP the test itself counted ("8 tests, 8 skipped"): its guest ran and found a feature missing. */
    private static final Pattern SKIPPED_BY_THE_TEST = Pattern.compile("SKIP \\d+ tests, \\d+ skipped");

    @Test
    void theSvmTestsRunUnderTheL1sKvmOnEmulatedSvmWithEveryOutcome() throws Exception {
        Path tarball = UpstreamKvmUnitTestsSuite.required();
        L1EndToEndTest.removeLeftoversOfCrashedRuns();
        if (!runInAnL1(tarball, true)) {
            runInAnL1(tarball, false);
        }
    }

    /**
     * Provisions an L1, runs the tests in it and checks what they left. An L1 that stops answering while
     * its KVM runs a test's guest on the SVM QEMU emulates (it happened in one CI run here:
     * QEMU's doing, not the engine's, which reports it as the lost session it is: {@link LostL1}) is said,
     * with what L0 still saw of it, and when {@code mayTryAgain} the caller gets false to run once more
     * in a new L1.
     */
    private static boolean runInAnL1(Path tarball, boolean mayTryAgain) throws Exception {
        String l1 = TestTopology.uniqueName();
        Path dir = TestTopology.guestDirectory("nvmx-test-kut-l1-");
        try {
            // the svm tests give their guest 4 GiB (-m 4g): an L1 with less refuses to map it
            Files.writeString(dir.resolve("topology.yaml"),
                    TestTopology.hypervisorYaml(l1, TestHypervisorImage.get(), "5G", dir));
            Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                    name: kut-l1
                    topology: topology.yaml
                    hosts:
                      l1: {level: L1, guest: %s}
                    benchmarks:
                      - {type: kvm-unit-tests, host: l1, source: %s, workDir: /tmp/kut, testTimeoutSeconds: %d,
                         tests: [%s]}
                    """.formatted(l1, tarball, TIMEOUT_SECONDS, String.join(", ", TESTS)));
            long start = System.nanoTime();
            LostL1 lost = new LostL1(l1, dir.resolve(l1 + "-serial.log"));
            PlanRunner runner = new PlanRunner(dir.resolve("results"), lost.timed(start), KvmModuleReload::new,
                    TestTopology.SLOW_NESTED);
            Optional<RunOutcome> ran = lost.run(() -> runner.run(new PlanReader().read(plan)), mayTryAgain);
            if (ran.isEmpty()) {
                return false;
            }
            RunOutcome outcome = ran.get();
            System.out.printf("kvm-unit-tests in the L1, %d tests under its KVM: %.1f s (provisioning and build "
                    + "included)%n", TESTS.size(), (System.nanoTime() - start) / 1e9);
            Run run = outcome.run();
            assertThat(run.failures()).isEmpty();
            Map<String, String> outcomes = junitOutcomes(outcome.directory().resolve("junit"));
            outcomes.forEach((test, result) -> System.out.println("  " + test + ": " + result));
            assertThat(outcomes.keySet()).containsExactlyInAnyOrderElementsOf(TESTS);
            // a guest of the L1's KVM ran: no runner-level SKIP (no /dev/kvm, a missing tool, i386 only)
            assertThat(outcomes.get("vmexit_cpuid")).isEqualTo("PASS");
            // each svm test's guest booted on the emulated SVM and ran its own nested guests, or counted
            // what it skipped; a runner-level SKIP would mean it never started
            for (String svm : List.of("svm", "svm_npt", "svm_pause_filter")) {
                String result = outcomes.get(svm);
                assertThat(result.startsWith("SKIP") && !SKIPPED_BY_THE_TEST.matcher(result).matches())
                        .as("%s: %s", svm, result).isFalse();
            }
            assertThat(outcomes.get("svm")).as("the svm test, dozens of nested guests").doesNotStartWith("SKIP");
            Measurement passed = run.measurements().stream().filter(m -> m.metric().equals("passed")).findFirst()
                    .orElseThrow();
            assertThat(passed.level()).isEqualTo(Level.L1);
            assertThat(passed.variant()).containsEntry("accel", "kvm");
            assertThat(passed.values()).containsExactly((double) outcomes.values().stream().filter("PASS"::equals).count());
            return true;
        } finally {
            TestGuestImage.deleteTree(dir);
        }
    }

    /** Each test case of the run's JUnit XML: PASS, "SKIP reason", or "FAIL ..." / "TIMEOUT ...". */
    private static Map<String, String> junitOutcomes(Path junitDir) throws Exception {
        Map<String, String> outcomes = new LinkedHashMap<>();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (var files = Files.list(junitDir)) {
            for (Path junit : files.toList()) {
                NodeList cases = factory.newDocumentBuilder().parse(junit.toFile()).getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    Element testCase = (Element) cases.item(i);
                    NodeList skipped = testCase.getElementsByTagName("skipped");
                    NodeList failure = testCase.getElementsByTagName("failure");
                    outcomes.put(testCase.getAttribute("name"), skipped.getLength() > 0
                            ? "SKIP " + ((Element) skipped.item(0)).getAttribute("message")
                            : failure.getLength() > 0 ? ((Element) failure.item(0)).getAttribute("type") + " "
                                    + ((Element) failure.item(0)).getAttribute("message")
                            : "PASS");
                }
            }
        }
        return outcomes;
    }
}
