package io.github.nestedvirt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine must stay usable outside Jenkins: the plugin adapts it, never the other way round. */
class ArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.nestedvirt");

    @Test
    void engineHasNoJenkinsDependency() {
        noClasses().that().resideInAPackage("io.github.nestedvirt..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke.stapler..")
                .because("core is the plain-Java engine that the CLI and the plugin share")
                .check(ENGINE);
    }
}
