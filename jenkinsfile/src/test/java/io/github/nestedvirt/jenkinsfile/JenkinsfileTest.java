package io.github.nestedvirt.jenkinsfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import io.github.nestedvirt.steps.StepArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.junit.jupiter.api.Test;

/**
 * The root Jenkinsfile on simulated Pipeline steps ({@link SimulatedPipelineScript}): it compiles,
 * every nested* call binds to the engine's spec records, the stages come in the plan's order, and
 * a failing benchmark inside nestedTopology still tears the topology down.
 */
class JenkinsfileTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path JENKINSFILE = REPOSITORY.resolve("Jenkinsfile");

    @Test
    void everyStepOfThePlanRunsWithArgumentsTheEngineAcceptsInThePlansOrder() throws Exception {
        List<String> calls = run(List.of("l0-a", "l0-b"), null);

        assertThat(calls.stream().filter(c -> c.startsWith("stage ")).toList()).startsWith(
                "stage Preflight", "stage Matrix", "stage Kernel build: shadow-on-shadow, VMCS shadowing on",
                "stage Guestfish: shadow-on-shadow, VMCS shadowing on",
                "stage I/O and network: shadow-on-shadow, VMCS shadowing on",
                "stage kvm-unit-tests: shadow-on-shadow, VMCS shadowing on")
                .endsWith("stage Migration", "stage Stress");
        assertThat(calls).filteredOn(c -> c.startsWith("branch ")).containsExactly(
                "branch shadow-on-shadow, VMCS shadowing on", "branch shadow-on-shadow, VMCS shadowing off",
                "branch shadow-on-ept, VMCS shadowing on", "branch shadow-on-ept, VMCS shadowing off",
                "branch ept-on-ept, VMCS shadowing on", "branch ept-on-ept, VMCS shadowing off");
        assertThat(calls).filteredOn(c -> c.startsWith("nestedKernelBuild ")).hasSize(12)
                .allSatisfy(c -> assertThat(c).contains("source=/usr/src/linux-source-6.1.tar.xz")
                        .contains("topology=/workspace/.nvmx/topology-"));
        assertThat(calls).filteredOn(c -> c.startsWith("nestedGuestfish ")).extracting(c -> c.contains("level=L0"))
                .containsOnly(true, false).hasSize(12);
        assertThat(calls).filteredOn(c -> c.startsWith("nestedKvmUnitTests ")).hasSize(6)
                .allSatisfy(c -> assertThat(c).contains("level=L1").contains("groups=[vmx]"));
        // the junit step gets the file the plugin copied into the workspace for each result set
        assertThat(calls).filteredOn(c -> c.startsWith("junit ")).hasSize(6)
                .contains("junit nested-virt-junit/kvm-unit-tests-ept-on-ept-vmcs-off.xml");
        assertThat(calls).filteredOn(c -> c.startsWith("nestedTopology teardown ")).hasSize(8);
        assertThat(calls).contains("nestedMigrate {destinationUri=qemu+ssh://root@l0-b/system, resultsId=migration, "
                + "roundTrips=3, storage=COPY, topology=/workspace/.nvmx/topology-" + topologyIndex(calls, "stage Migration")
                + "}");
    }

    @Test
    void kvmIntelIsReloadedOnlyUnderTheHostsLockWithTheCellsSettings() throws Exception {
        List<String> calls = run(List.of("l0-a"), null);

        int held = 0;
        for (String call : calls) {
            if (call.startsWith("lock ")) {
                assertThat(call).isEqualTo("lock kvm_intel@l0-a");
                held++;
            } else if (call.startsWith("unlock ")) {
                held--;
            } else if (call.startsWith("sh ") || call.startsWith("nestedTopology ")) {
                assertThat(held).as("held the lock at: " + call).isEqualTo(1);
            }
        }
        assertThat(calls).contains("sh modprobe -r kvm_intel && modprobe kvm_intel nested=1 ept=0 enable_shadow_vmcs=1",
                "sh modprobe -r kvm_intel && modprobe kvm_intel nested=1 ept=1 enable_shadow_vmcs=0");
        // L0's ept from the reload, L1's from the topology step: shadow-on-EPT and EPT-on-EPT differ in L1 only
        assertThat(calls).filteredOn(c -> c.startsWith("nestedTopology {") && c.contains("l1KvmIntel="))
                .extracting(c -> c.replaceAll(".*l1KvmIntel=(\\{[^}]*}).*", "$1"))
                .containsExactly("{}", "{}", "{ept=0}", "{ept=0}", "{ept=1}", "{ept=1}");
    }

    @Test
    void withOneL0HostTheMigrationStageIsSkippedAndSaysWhy() throws Exception {
        List<String> calls = run(List.of("l0-a"), null);

        assertThat(calls).doesNotContain("stage Migration").noneMatch(c -> c.startsWith("nestedMigrate"))
                .contains("echo Migration skipped: it needs two agents labelled nested-l0, found 1")
                .contains("stage Stress");
    }

    @Test
    void aFailingBenchmarkInsideTheTopologyBlockStillTearsItDownAndFailsTheBuild() throws Exception {
        List<String> calls = new java.util.ArrayList<>();

        assertThatThrownBy(() -> run(List.of("l0-a"), "nestedKernelBuild", calls))
                .hasMessageContaining("nestedKernelBuild failed (simulated)");

        int failed = calls.indexOf(calls.stream().filter(c -> c.startsWith("nestedKernelBuild ")).findFirst().orElseThrow());
        assertThat(calls.subList(failed + 1, calls.size())).startsWith(
                "nestedTopology teardown /workspace/.nvmx/topology-" + topologyIndex(calls, "stage Matrix"),
                "unlock kvm_intel@l0-a");
        assertThat(calls).doesNotContain("stage Stress");
    }

    @Test
    void aMisspelledParameterFailsWithTheEnginesMessage() throws Exception {
        String script = Files.readString(JENKINSFILE).replace("nestedStress(seconds: 1800", "nestedStress(secnods: 1800");

        assertThatThrownBy(() -> run(script, List.of("l0-a"), null, new java.util.ArrayList<>()))
                .isInstanceOf(StepArgumentException.class)
                .hasMessageStartingWith("nestedStress: secnods: unknown parameter; valid parameters: ");
    }

    /** The index in calls of the nestedTopology call that follows {@code marker}, as the simulated block numbers it. */
    private static int topologyIndex(List<String> calls, String marker) {
        int from = calls.indexOf(marker);
        for (int i = from; i < calls.size(); i++) {
            if (calls.get(i).startsWith("nestedTopology {")) {
                return i + 1;
            }
        }
        throw new AssertionError("no nestedTopology after " + marker);
    }

    private static List<String> run(List<String> agents, String failingStep) throws Exception {
        List<String> calls = new java.util.ArrayList<>();
        run(agents, failingStep, calls);
        return calls;
    }

    private static void run(List<String> agents, String failingStep, List<String> calls) throws Exception {
        run(Files.readString(JENKINSFILE), agents, failingStep, calls);
    }

    private static void run(String jenkinsfile, List<String> agents, String failingStep, List<String> calls) {
        CompilerConfiguration configuration = new CompilerConfiguration();
        configuration.setScriptBaseClass(SimulatedPipelineScript.class.getName());
        Binding binding = new Binding();
        Map<String, Object> env = new HashMap<>();
        binding.setVariable("env", env);
        binding.setVariable("scm", "git");
        binding.setVariable("calls", calls);
        binding.setVariable(SimulatedPipelineScript.L0_AGENTS, agents);
        binding.setVariable(SimulatedPipelineScript.WORKSPACE, REPOSITORY);
        binding.setVariable(SimulatedPipelineScript.FAILING_STEP, failingStep);
        Script script = new GroovyShell(JenkinsfileTest.class.getClassLoader(), binding, configuration)
                .parse(jenkinsfile, "Jenkinsfile");
        script.run();
    }
}
