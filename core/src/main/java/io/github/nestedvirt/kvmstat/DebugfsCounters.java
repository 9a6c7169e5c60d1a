package io.github.nestedvirt.kvmstat;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KVM's own counters in debugfs ({@code /sys/kernel/debug/kvm}), read before and after the benchmark:
 * totals over all guests, no exit reasons. The source kvm_stat {@code -d} reads.
 */
final class DebugfsCounters implements ExitSource {

    static final String DIRECTORY = "/sys/kernel/debug/kvm";

    /** The counters that tell where exits go; {@code nested_run} counts entries into a nested guest. */
    static final List<String> COUNTERS = List.of("exits", "io_exits", "mmio_exits", "irq_exits", "halt_exits",
            "request_irq_exits", "signal_exits", "nested_run", "pf_fixed", "pf_guest", "tlb_flush", "insn_emulation",
            "hypercalls", "irq_injections");

    /** Why there is no {@link #DIRECTORY}: debugfs is not mounted, or it is and kvm made no entries there. */
    static final String NOT_MOUNTED = "debugfs is not mounted on /sys/kernel/debug (as root: mount -t debugfs "
            + "debugfs /sys/kernel/debug)";
    static final String NO_KVM = "kvm is not loaded, or keeps no counters in debugfs";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Host host;
    private Map<String, Long> before;

    DebugfsCounters(Host host) {
        this.host = host;
    }

    @Override
    public String name() {
        return "debugfs";
    }

    @Override
    public void start() throws SourceUnavailableException, InterruptedException {
        before = read();
    }

    @Override
    public Rates stop(double seconds) throws SourceUnavailableException, InterruptedException {
        Map<String, Long> after = read();
        Map<String, Double> rates = new LinkedHashMap<>();
        before.forEach((counter, start) -> {
            Long end = after.get(counter);
            if (end != null && seconds > 0) {
                rates.put(counter, (end - start) / seconds);
            }
        });
        return new Rates(rates, List.of());
    }

    /** Every counter of {@link #COUNTERS} the kernel has; the first one that cannot be read stops it. */
    static String readCommand() {
        return "d=" + DIRECTORY + "; if [ ! -d \"$d\" ]; then if grep -qs ' /sys/kernel/debug debugfs ' /proc/mounts; "
                + "then echo \"no $d: " + NO_KVM + "\" >&2; else echo \"" + NOT_MOUNTED + "\" >&2; fi; exit 3; fi; "
                + "for f in " + String.join(" ", COUNTERS) + "; do if [ -e \"$d/$f\" ]; "
                + "then v=$(cat \"$d/$f\") || exit 1; echo \"$f $v\"; fi; done";
    }

    private Map<String, Long> read() throws SourceUnavailableException, InterruptedException {
        CommandResult result;
        try {
            result = host.run(readCommand(), TIMEOUT);
        } catch (HostException e) {
            throw new SourceUnavailableException("debugfs: " + e.getMessage());
        }
        if (!result.succeeded()) {
            throw new SourceUnavailableException("debugfs: " + KvmStatTool.lastLine(result));
        }
        return parse(result.stdout());
    }

    /** {@code NAME COUNT} lines. */
    static Map<String, Long> parse(String stdout) throws SourceUnavailableException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String line : stdout.lines().filter(l -> !l.isBlank()).toList()) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length != 2 || !fields[1].matches("\\d+")) {
                throw new SourceUnavailableException("debugfs: expected 'COUNTER VALUE', got '" + line + "'");
            }
            counts.put(fields[0], Long.parseLong(fields[1]));
        }
        if (counts.isEmpty()) {
            throw new SourceUnavailableException("debugfs: none of " + String.join(", ", COUNTERS) + " in "
                    + DIRECTORY);
        }
        return counts;
    }
}
