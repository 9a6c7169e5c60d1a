package io.github.nestedvirt.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DowntimeProbeTest {

    private static final long MS = 1_000_000;

    @Test
    void theDowntimeIsTheLongestSilenceFromTheLastTickBeforeToTheFirstTickAfter() {
        // ticks every 10 ms, silent from 40 to 290 ms while migrating from 35 to 300 ms, ticking again at 310
        long[] arrivals = {0, 10 * MS, 20 * MS, 30 * MS, 40 * MS, 290 * MS, 310 * MS, 320 * MS};

        assertThat(DowntimeProbe.longestGapMillis(arrivals, 35 * MS, 300 * MS)).isEqualTo(250.0);
    }

    @Test
    void aSilenceBeforeTheMigrationDoesNotCount() {
        long[] arrivals = {0, 500 * MS, 510 * MS, 520 * MS, 540 * MS, 550 * MS};

        assertThat(DowntimeProbe.longestGapMillis(arrivals, 505 * MS, 530 * MS)).isEqualTo(20.0);
    }

    @Test
    void aSilenceThatStartedBeforeTheMigrationAndEndsAfterItCounts() {
        long[] arrivals = {0, 10 * MS, 400 * MS, 410 * MS};

        assertThat(DowntimeProbe.longestGapMillis(arrivals, 100 * MS, 200 * MS)).isEqualTo(390.0);
    }
}
