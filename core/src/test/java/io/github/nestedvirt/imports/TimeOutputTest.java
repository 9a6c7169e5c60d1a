package io.github.nestedvirt.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.nestedvirt.output.TestOutputs;
import org.junit.jupiter.api.Test;

class TimeOutputTest {

    private static TimeOutput.Result parse(String name) {
        return TimeOutput.parse(name, TestOutputs.read(TimeOutputTest.class, name));
    }

    @Test
    void bashTimeAfterTheCommandsOutput() {
        TimeOutput.Result result = parse("bash-time-make.txt");

        assertThat(result.format()).isEqualTo(TimeFormat.BASH);
        assertThat(result.runs()).singleElement().satisfies(run -> {
            assertThat(run.realSeconds()).isCloseTo(602.345, within(1e-9));
            assertThat(run.userSeconds()).isCloseTo(1050.12, within(1e-9));
            assertThat(run.systemSeconds()).isCloseTo(121.5, within(1e-9));
            assertThat(run.line()).isEqualTo(5);
        });
    }

    @Test
    void posixTimeP() {
        TimeOutput.Result result = parse("posix-time-p.txt");

        assertThat(result.format()).isEqualTo(TimeFormat.POSIX);
        assertThat(result.realSeconds()).containsExactly(62.34);
        assertThat(result.runs().get(0).systemSeconds()).isEqualTo(6.02);
    }

    @Test
    void gnuTimeVerboseWithHoursAndMaximumResidentSize() {
        TimedRun run = parse("gnu-time-v.txt").runs().get(0);

        assertThat(run.realSeconds()).isCloseTo(3723.45, within(1e-9));
        assertThat(run.maxResidentKb()).isEqualTo(412348L);
        assertThat(run.command()).isEqualTo("make -j3");
        assertThat(run.exitStatus()).isZero();
        assertThat(run.line()).isEqualTo(5);
    }

    @Test
    void gnuTimeDefaultLine() {
        TimeOutput.Result result = parse("gnu-time-default.txt");

        assertThat(result.format()).isEqualTo(TimeFormat.GNU);
        assertThat(result.realSeconds()[0]).isCloseTo(602.34, within(1e-9));
        assertThat(result.runs().get(0).maxResidentKb()).isEqualTo(412348L);
    }

    @Test
    void aGuestfishLoopGivesOneRunPerRealLineAlsoWithWindowsLineEnds() {
        TimeOutput.Result unix = parse("guestfish-loop.txt");

        assertThat(unix.realSeconds()).hasSize(10).startsWith(28.114, 2.812);
        assertThat(parse("guestfish-loop-crlf.txt").runs()).isEqualTo(unix.runs());
    }

    @Test
    void anUnreadableTimeNamesItsLine() {
        assertThatThrownBy(() -> parse("bad-real.txt"))
                .hasMessage("bad-real.txt:3: real: expected bash's '0m1.234s' or time -p's '1.23', got 'about three seconds'");
    }

    @Test
    void outputWithoutTimingIsRefused() {
        assertThatThrownBy(() -> parse("no-timing.txt")).hasMessageStartingWith("no-timing.txt: no timing found");
    }
}
