package io.jenkins.plugins.nestedvirt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousStepExecution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.verb.POST;

/** The rules of the plugin's code that review would otherwise have to remember. */
class PluginArchitectureTest {

    private static final String PLUGIN = "io.jenkins.plugins.nestedvirt";
    /** Calls that check the current user's permission before an endpoint answers. */
    private static final Set<String> PERMISSION_CHECKS = Set.of("checkPermission", "hasPermission", "canConfigure");

    private static JavaClasses plugin;

    @BeforeAll
    static void importPlugin() {
        plugin = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PLUGIN);
    }

    @Test
    void formEndpointsArePostAndCheckAPermission() {
        methods().that().areDeclaredInClassesThat().resideInAPackage(PLUGIN + "..")
                .and().haveNameMatching("do(Fill|Check|Test).*")
                .should().beAnnotatedWith(POST.class)
                .andShould(checkAPermission())
                .because("a form endpoint without both is open to CSRF or leaks data (the CVEs of earlier libvirt plugins)")
                .check(plugin);
    }

    @Test
    void neverTheDeprecatedJenkinsInstanceLookup() {
        noClasses().should().callMethod(jenkins.model.Jenkins.class, "getInstance")
                .because("Jenkins.get() fails clearly where getInstance() returns null")
                .check(plugin);
    }

    @Test
    void dataBoundConstructorsArePublicInPublicClasses() {
        constructors().that().areAnnotatedWith(DataBoundConstructor.class)
                .should().bePublic()
                .andShould().beDeclaredInClassesThat().arePublic()
                .because("Stapler, Pipeline and Configuration as Code instantiate these reflectively")
                .check(plugin);
    }

    @Test
    void noStepWorkBlocksAThreadAcrossARestart() {
        noClasses().should().beAssignableTo(SynchronousNonBlockingStepExecution.class)
                .orShould().beAssignableTo(SynchronousStepExecution.class)
                .because("engine runs take hours and must survive a controller restart: they are durable"
                        + " executions (EngineExecution)")
                .check(plugin);
    }

    @Test
    void theEngineDoesTheWork() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .because("processes are started by the engine's EngineLauncher, not by the plugin")
                .check(plugin);
    }

    private static ArchCondition<JavaMethod> checkAPermission() {
        return new ArchCondition<>("call checkPermission, hasPermission or Permissions.canConfigure") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                boolean checks = method.getMethodCallsFromSelf().stream()
                        .anyMatch(call -> PERMISSION_CHECKS.contains(call.getTarget().getName()));
                events.add(new SimpleConditionEvent(method, checks,
                        method.getFullName() + (checks ? " checks" : " does not check") + " a permission"));
            }
        };
    }
}
