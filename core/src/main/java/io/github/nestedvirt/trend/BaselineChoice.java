package io.github.nestedvirt.trend;

/** Which earlier build a quality gate compares a build with. */
public enum BaselineChoice {
    /** The build just before. */
    PREVIOUS_BUILD,
    /** One build chosen by number (a release, a known good kernel). */
    CHOSEN_BUILD,
    /** The medians of the last N builds: one odd build does not move the baseline. */
    MEDIAN_OF_LAST_N
}
