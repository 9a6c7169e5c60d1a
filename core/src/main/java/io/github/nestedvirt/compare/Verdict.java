package io.github.nestedvirt.compare;

/** What a comparison of a candidate with its baseline concludes. */
public enum Verdict {
    /** Significantly worse, by at least the thresholds. */
    REGRESSION,
    /** Significantly better, by at least the thresholds. */
    IMPROVEMENT,
    /** Not significant, or smaller than the thresholds. */
    NO_CHANGE,
    /** Figures shown, but no verdict: different fingerprints, too few samples or no known direction. */
    NOT_COMPARABLE
}
