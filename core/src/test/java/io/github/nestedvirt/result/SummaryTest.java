package io.github.nestedvirt.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expected figures were worked out independently: by hand for the first data set (deviations -1, 1,
 * -2, 0, 2; sum of squares 10; variance 10/4), and with Python's {@code statistics} module and
 * {@code scipy.stats.t.ppf(0.975, df)} for the others.
 */
class SummaryTest {

    private static final double EPS = 1e-9;

    @Test
    void fiveSamplesByHand() {
        Summary s = Summary.of(10, 12, 9, 11, 13);

        assertThat(s.n()).isEqualTo(5);
        assertThat(s.mean()).isCloseTo(11.0, within(EPS));
        assertThat(s.median()).isCloseTo(11.0, within(EPS));
        assertThat(s.standardDeviation()).isCloseTo(Math.sqrt(2.5), within(EPS));
        assertThat(s.relativeStandardDeviation()).isCloseTo(Math.sqrt(2.5) / 11, within(EPS));
        assertThat(s.min()).isEqualTo(9);
        assertThat(s.max()).isEqualTo(13);
        // t(0.975, df=4) = 2.7764451; half width = 2.7764451 * sqrt(2.5) / sqrt(5) = 1.9632432
        assertThat(s.ciLow()).isCloseTo(9.036756838522443, within(1e-7));
        assertThat(s.ciHigh()).isCloseTo(12.963243161477557, within(1e-7));
    }

    @Test
    void sixSamplesAgainstScipy() {
        Summary s = Summary.of(61.2, 60.8, 61.0, 59.9, 62.3, 60.5);

        assertThat(s.mean()).isCloseTo(60.95, within(EPS));
        assertThat(s.median()).as("mean of the two middle values").isCloseTo(60.9, within(EPS));
        assertThat(s.standardDeviation()).isCloseTo(0.8018728078691779, within(EPS));
        assertThat(s.relativeStandardDeviation()).isCloseTo(0.013156239669715799, within(EPS));
        assertThat(s.ciLow()).isCloseTo(60.10848609675862, within(1e-7));
        assertThat(s.ciHigh()).isCloseTo(61.79151390324137, within(1e-7));
    }

    @Test
    void tQuantileForFourDegreesOfFreedom() {
        assertThat(Summary.tQuantile(4)).isCloseTo(2.7764451, within(1e-7));
    }

    @Test
    void singleSampleHasNoSpreadAndNoInterval() {
        Summary s = Summary.of(42.0);

        assertThat(s.n()).isEqualTo(1);
        assertThat(s.mean()).isEqualTo(42.0);
        assertThat(s.median()).isEqualTo(42.0);
        assertThat(s.min()).isEqualTo(42.0);
        assertThat(s.max()).isEqualTo(42.0);
        assertThat(s.standardDeviation()).isNaN();
        assertThat(s.relativeStandardDeviation()).isNaN();
        assertThat(s.ciLow()).isNaN();
        assertThat(s.ciHigh()).isNaN();
    }

    @Test
    void noSamplesIsAnError() {
        assertThatThrownBy(() -> Summary.of(new double[0])).hasMessageContaining("no samples");
    }

    @Test
    void warmupRunsAreLeftOut() {
        Measurement m = new Measurement("guestfish-launch", "seconds", Level.L1, "l1", Map.of(), "s", Better.LOWER,
                List.of(Sample.warmup(100), Sample.of(10), Sample.of(12), Sample.of(9), Sample.of(11),
                        Sample.of(13)),
                Map.of());

        Summary s = Summary.of(m);

        assertThat(s.n()).isEqualTo(5);
        assertThat(s.mean()).isCloseTo(11.0, within(EPS));
        assertThat(s.max()).isEqualTo(13);
    }

    @Test
    void callersArrayIsLeftInItsOrder() {
        double[] values = {13, 9, 12, 10, 11};

        Summary.of(values);

        assertThat(values).containsExactly(13, 9, 12, 10, 11);
    }
}
