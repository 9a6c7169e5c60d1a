package io.github.nestedvirt.compare;

import io.github.nestedvirt.result.LevelRatio;

/**
 * Two measurements of a run side by side: numerator over denominator, with the ratio's 95% interval
 * and whether the two differ significantly.
 *
 * @param label what is compared, e.g. {@code kernel-build/seconds L2/L1 shadowVmcs=on} or
 *     {@code kernel-build/seconds@L1 shadowVmcs off/on}
 * @param numerator the key of the numerator measurement
 * @param denominator the key of the denominator measurement
 * @param unit the unit of both
 * @param ratio mean of the numerator / mean of the denominator, with its Fieller interval
 * @param significance whether the two sets of samples differ (Welch's t unless asked otherwise)
 */
public record RatioRow(String label, String numerator, String denominator, String unit, LevelRatio ratio,
        Significance significance) {
}
