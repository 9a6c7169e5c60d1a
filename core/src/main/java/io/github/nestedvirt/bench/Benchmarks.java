package io.github.nestedvirt.bench;

import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.result.RunCountPolicy;
import io.github.nestedvirt.result.Sample;
import java.util.List;

/** What the benchmarks share. */
final class Benchmarks {

    private Benchmarks() {
    }

    /**
     * {@link RunLoop#repeat}, with its checked {@code Exception} narrowed to what a benchmark throws: a
     * failing run becomes a {@link BenchmarkFailedException} naming the host.
     */
    static List<Sample> repeat(Host host, String task, int warmups, RunCountPolicy policy, Progress progress,
            SampleSupplier run) throws HostException, InterruptedException {
        return repeat(host, task, warmups, policy, StartLine.alone(), progress, run);
    }

    /** The same, in step with the other hosts of {@code startLine} ({@link Together}). */
    static List<Sample> repeat(Host host, String task, int warmups, RunCountPolicy policy, StartLine startLine,
            Progress progress, SampleSupplier run) throws HostException, InterruptedException {
        try {
            return RunLoop.repeat(task, warmups, policy, startLine, progress, run);
        } catch (HostException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new BenchmarkFailedException(host.name(), task + " failed: " + e.getMessage(), e);
        }
    }
}
