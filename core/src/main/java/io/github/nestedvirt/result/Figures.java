package io.github.nestedvirt.result;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** How numbers appear in the report: enough digits to compare runs, no more. */
public final class Figures {

    /** Shown where a figure is undefined, e.g. the spread of a single sample. */
    public static final String UNDEFINED = "–";

    private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_EVEN);

    private Figures() {
    }

    /**
     * Four significant digits, but whole numbers never lose integer digits (a 12345 MB/s bandwidth
     * stays 12345, not 1.235E4); never scientific notation.
     */
    public static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return UNDEFINED;
        }
        BigDecimal decimal = BigDecimal.valueOf(value);
        BigDecimal rounded = Math.abs(value) >= 1000
                ? decimal.setScale(0, RoundingMode.HALF_EVEN)
                : decimal.round(FOUR_DIGITS);
        String text = rounded.stripTrailingZeros().toPlainString();
        return "-0".equals(text) ? "0" : text;
    }

    /** An interval, {@code 2.69 – 2.74}; {@link #UNDEFINED} when it is undefined (a single sample). */
    public static String interval(double low, double high) {
        return Double.isNaN(low) || Double.isNaN(high) ? UNDEFINED : format(low) + " – " + format(high);
    }

    /** A fraction as a percentage with two decimals: 0.0123 becomes {@code 1.23}. */
    public static String percent(double fraction) {
        if (Double.isNaN(fraction) || Double.isInfinite(fraction)) {
            return UNDEFINED;
        }
        return String.format(Locale.ROOT, "%.2f", fraction * 100);
    }
}
