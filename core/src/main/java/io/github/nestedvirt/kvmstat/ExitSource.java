package io.github.nestedvirt.kvmstat;

import java.util.List;
import java.util.Map;

/** One way to count a hypervisor's KVM events while a benchmark runs. */
interface ExitSource {

    /** Events per second by name, and anything that limits them. */
    record Rates(Map<String, Double> perSecond, List<String> notes) {
    }

    /** {@code kvm_stat}, {@code debugfs} or {@code tracefs}: recorded with the figures. */
    String name();

    /**
     * Starts counting.
     *
     * @throws SourceUnavailableException when this source does not work on the host, saying why
     */
    void start() throws SourceUnavailableException, InterruptedException;

    /**
     * Stops counting and releases whatever was started on the host; called once after a successful
     * {@link #start}, also when the benchmark failed or was cancelled.
     *
     * @param seconds how long the capture lasted, as measured by the engine
     */
    Rates stop(double seconds) throws SourceUnavailableException, InterruptedException;
}
