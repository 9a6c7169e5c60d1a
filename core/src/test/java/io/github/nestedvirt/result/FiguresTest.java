package io.github.nestedvirt.result;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void fourSignificantDigitsWithoutExponent() {
        assertThat(Figures.format(122)).isEqualTo("122");
        assertThat(Figures.format(3.14159)).isEqualTo("3.142");
        assertThat(Figures.format(0.000123456)).isEqualTo("0.0001235");
        assertThat(Figures.format(12345.6)).isEqualTo("12346");
        assertThat(Figures.format(-0.0)).isEqualTo("0");
    }

    @Test
    void undefinedFiguresAreShownAsADash() {
        assertThat(Figures.format(Double.NaN)).isEqualTo(Figures.UNDEFINED);
        assertThat(Figures.percent(Double.NaN)).isEqualTo(Figures.UNDEFINED);
        assertThat(Figures.interval(Double.NaN, Double.NaN)).isEqualTo(Figures.UNDEFINED);
    }

    @Test
    void intervalsKeepFourDigitsEachSide() {
        assertThat(Figures.interval(2.68812, 2.74399)).isEqualTo("2.688 – 2.744");
    }

    @Test
    void percentHasTwoDecimals() {
        assertThat(Figures.percent(2.0 / 122)).isEqualTo("1.64");
    }
}
