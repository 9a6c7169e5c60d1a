package io.github.nestedvirt.bench;

/** One run of a benchmark, measured: what {@link RunLoop} repeats. */
@FunctionalInterface
public interface SampleSupplier {

    /**
     * Runs the benchmark once and returns its figure, in the measurement's unit.
     *
     * @param runIndex 1-based count of calls, warm-up runs first, so that each run can use its own
     *     file names or ports
     * @throws InterruptedException when cancelled; {@link RunLoop} passes it on
     */
    double measure(int runIndex) throws Exception;
}
