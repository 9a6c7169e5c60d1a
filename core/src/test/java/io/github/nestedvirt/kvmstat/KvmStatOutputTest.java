package io.github.nestedvirt.kvmstat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.github.nestedvirt.output.TestOutputs;
import io.github.nestedvirt.output.UnreadableOutputException;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class KvmStatOutputTest {

    private static String fixture(String name) {
        return TestOutputs.read(KvmStatOutputTest.class, name);
    }

    @Test
    void batchModeGivesTotalsAndOneSecondOfCounts() {
        KvmStatCapture capture = KvmStatOutput.parse("batch.txt", fixture("batch.txt"), null);

        assertThat(capture.format()).isEqualTo(KvmStatFormat.BATCH);
        assertThat(capture.samples()).hasSize(1);
        assertThat(capture.secondsPerSample()).isEqualTo(1.0);
        assertThat(capture.totals()).containsEntry("kvm_exit(EPT_VIOLATION)", 1201339L);
        assertThat(capture.perSecond()).containsEntry("kvm_nested_vmexit", 120.0)
                .containsEntry("kvm_nested_vmexit_inject", 42.0);
        assertThat(capture.exitsPerSecondByReason()).containsEntry("EXTERNAL_INTERRUPT", 311.0)
                .containsEntry("MSR_WRITE", 702.0).doesNotContainKey("kvm_entry").hasSize(7);
    }

    @Test
    void logModeReadsRepeatedHeadersAndTimeStamps() {
        KvmStatCapture capture = KvmStatOutput.parse("log.txt", fixture("log.txt"), null);

        assertThat(capture.format()).isEqualTo(KvmStatFormat.LOG);
        assertThat(capture.samples()).hasSize(22); // 22 rows; the header repeated after 20 is no sample
        assertThat(capture.samples().get(0).time()).isEqualTo(LocalDateTime.of(2025, 3, 14, 10, 0, 3));
        assertThat(capture.secondsPerSample()).isEqualTo(3.0); // from 63 s over 21 intervals
        assertThat(capture.events()).hasSize(12).contains("kvm_nested_vmexit", "kvm_nested_vmexit_inject");
        // first row: 360 nested exits in 3 s
        assertThat(capture.perSecond("kvm_nested_vmexit")[0]).isEqualTo(120.0);
        assertThat(capture.samples().get(21).countsPerEvent()).containsEntry("kvm_exit(HLT)", 121L);
    }

    @Test
    void oldLogModeWithoutTimeStampsUsesTheGivenInterval() {
        KvmStatCapture capture = KvmStatOutput.parse("old.txt", fixture("log-old-no-timestamps.txt"), 2.0);

        assertThat(capture.samples()).hasSize(3);
        assertThat(capture.samples().get(2).time()).isNull();
        assertThat(capture.perSecond("kvm_exit(EPT_VIOLATION)")).containsExactly(603.0, 603.5, 604.0);
    }

    @Test
    void oldLogModeWithoutIntervalFallsBackToKvmStatsDefault() {
        KvmStatCapture capture = KvmStatOutput.parse("old.txt", fixture("log-old-no-timestamps.txt"), null);

        assertThat(capture.secondsPerSample()).isEqualTo(KvmStatOutput.DEFAULT_DELAY_SECONDS);
    }

    @Test
    void csvModeWithWindowsLineEndsReadsLikeUnix() {
        KvmStatCapture unix = KvmStatOutput.parse("csv.txt", fixture("csv.txt"), null);
        KvmStatCapture crlf = KvmStatOutput.parse("csv-crlf.txt", fixture("csv-crlf.txt"), null);

        assertThat(unix.format()).isEqualTo(KvmStatFormat.CSV);
        assertThat(unix.samples()).hasSize(5);
        assertThat(crlf.samples()).isEqualTo(unix.samples());
        assertThat(unix.perSecond().get("kvm_exit(EPT_VIOLATION)")).isCloseTo(402.0, within(1e-9));
        // 5 rows spanning 12 s: too short to trust whole-second stamps, so kvm_stat's default 3 s
        assertThat(unix.secondsPerSample()).isEqualTo(3.0);
    }

    @Test
    void aRowWithTooFewCountsNamesItsLineAndTheHeader() {
        assertThatThrownBy(() -> KvmStatOutput.parse("short.log", fixture("log-short-row.txt"), null))
                .isInstanceOf(UnreadableOutputException.class)
                .hasMessage("short.log:3: expected 3 counts, one per event of the header on line 1, got 2");
    }

    @Test
    void aCsvCountThatIsNoNumberNamesLineAndEvent() {
        assertThatThrownBy(() -> KvmStatOutput.parse("bad.csv", fixture("csv-bad-count.txt"), null))
                .hasMessage("bad.csv:3: kvm_exit: expected a count, got 'many'");
    }

    @Test
    void batchOutputWithAForeignLineIsRefusedAtThatLine() {
        assertThatThrownBy(() -> KvmStatOutput.parseBatch("b.txt", "kvm_exit 10 2\nkvm_entry lots\n"))
                .hasMessageStartingWith("b.txt:2: expected 'EVENT TOTAL COUNT'");
    }

    @Test
    void emptyOutputIsRefused() {
        assertThatThrownBy(() -> KvmStatOutput.parse("e.txt", "\n\n", null)).hasMessageStartingWith("e.txt: empty");
    }

    @Test
    void theInteractiveScreenPastedIntoABugReportIsReadWithItsChildEvents() {
        String screen = fixture("screen.txt");
        assertThat(KvmStatOutput.detect("screen.txt", screen)).isEqualTo(KvmStatFormat.SCREEN);

        KvmStatCapture capture = KvmStatOutput.parse("screen.txt", screen, null);

        assertThat(capture.format()).isEqualTo(KvmStatFormat.SCREEN);
        assertThat(capture.secondsPerSample()).isEqualTo(1.0);
        assertThat(capture.samples()).hasSize(1);
        assertThat(capture.samples().get(0).countsPerEvent()).containsExactly(entry("kvm_exit", 12065L),
                entry("kvm_exit(EPT_VIOLATION)", 6401L), entry("kvm_exit(HLT)", 1200L),
                entry("kvm_nested_vmexit", 3605L), entry("kvm_nested_vmexit_inject", 1265L));
        assertThat(capture.totals()).containsEntry("kvm_exit", 1206512L).doesNotContainKey("Total");
    }

    @Test
    void theScreensGuestViewAndAScreenWithoutHeadsAreRefusedNamingThem() {
        assertThatThrownBy(() -> KvmStatOutput.parse("guests.txt", fixture("screen-guests.txt"), null))
                .hasMessageStartingWith("guests.txt:3: kvm_stat's guest view (the 'Guest Name' column, key g)");
        assertThatThrownBy(() -> KvmStatOutput.parse("cut.txt", "kvm statistics - summary\n kvm_exit 12 100.0 3\n",
                null)).hasMessageStartingWith("cut.txt:1: the kvm_stat screen without its heads");
    }
}
