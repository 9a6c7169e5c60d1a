package io.jenkins.plugins.nestedvirt.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.nestedvirt.steps.StepCatalog;
import io.github.nestedvirt.steps.StepParameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Form fields hold text; the engine gets numbers, booleans and lists where its catalog declares them. */
class FormArgumentsTest {

    @Test
    void textIsConvertedAfterTheCatalogsDeclaredType() {
        assertEquals(3L, FormArguments.typed(type("nestedKernelBuild", "jobs"), "3"));
        assertEquals(true, FormArguments.typed(type("nestedKernelBuild", "debugOff"), "true"));
        assertEquals(List.of("/usr/share/doc", "/var/lib"),
                FormArguments.typed(type("nestedIoBench", "paths"), "/usr/share/doc, /var/lib,"));
        assertEquals("L2", FormArguments.typed(type("nestedKernelBuild", "level"), "L2"));
        assertEquals("/srv/linux", FormArguments.typed(type("nestedKernelBuild", "source"), "/srv/linux"));
    }

    @Test
    void textThatDoesNotConvertIsLeftForTheEnginesMessage() {
        assertEquals("three", FormArguments.typed(type("nestedKernelBuild", "jobs"), "three"));
    }

    @Test
    void aListShownInAFormReadsBackAsTheSameList() {
        String shown = FormArguments.text(List.of("/usr/share/doc", "/var/lib"));
        assertEquals(List.of("/usr/share/doc", "/var/lib"), FormArguments.typed(type("nestedIoBench", "paths"), shown));
    }

    private static String type(String step, String parameter) {
        return StepCatalog.parameters(step).stream().filter(p -> p.name().equals(parameter)).findFirst()
                .map(StepParameter::type).orElseThrow(() -> new AssertionError(step + " has no " + parameter));
    }
}
