package io.github.nestedvirt.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputLinesTest {

    @Test
    void colourCodesAndWindowsLineEndsAreRemoved() {
        assertThat(OutputLines.of("\uFEFF\u001B[32mPASS\u001B[0m msr (15 tests)\r\n\u001B[1;31mFAIL\u001B[0m x\r\n"))
                .containsExactly("PASS msr (15 tests)", "FAIL x");
    }

    @Test
    void blankLinesKeepTheirPlaceSoLineNumbersMatchTheFile() {
        assertThat(OutputLines.of("a\n\nb\n")).containsExactly("a", "", "b");
    }

    @Test
    void messageNamesSourceAndLine() {
        assertThat(new UnreadableOutputException("run.log", 7, "bad").getMessage()).isEqualTo("run.log:7: bad");
        assertThat(new UnreadableOutputException("run.log", 0, "empty").getMessage()).isEqualTo("run.log: empty");
    }
}
