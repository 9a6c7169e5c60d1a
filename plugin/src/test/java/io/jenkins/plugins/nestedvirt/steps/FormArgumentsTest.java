package io.jenkins.plugins.nestedvirt.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Form fields hold text; the engine gets numbers, booleans and lists where it declares them. */
class FormArgumentsTest {

    @Test
    void textIsConvertedAfterTheDeclaredType() {
        assertEquals(3L, FormArguments.typed("int", "3"));
        assertEquals(2.5, FormArguments.typed("double", "2.5"));
        assertEquals(true, FormArguments.typed("boolean", "true"));
        assertEquals(List.of("L1", "L2"), FormArguments.typed("list<string>", "L1, L2,"));
        assertEquals("L2", FormArguments.typed("string", "L2"));
    }

    @Test
    void textThatDoesNotConvertIsLeftForTheEnginesMessage() {
        assertEquals("three", FormArguments.typed("int", "three"));
    }

    @Test
    void aListShownInAFormReadsBackAsTheSameList() {
        String shown = FormArguments.text(List.of("L1", "L2"));
        assertEquals(List.of("L1", "L2"), FormArguments.typed("list", shown));
    }
}
