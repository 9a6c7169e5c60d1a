package io.github.nestedvirt.kvmstat;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The kvm tracepoints kvm_stat counts ({@code kvm_exit} by reason, {@code kvm_nested_vmexit},
 * {@code kvm_nested_vmexit_inject}), read straight from tracefs where kvm_stat is missing or refuses.
 *
 * <p>The events go to a private trace instance ({@code instances/nvmx-...}), so other tracing on the
 * host is neither disturbed nor counted. A reader on the host drains {@code trace_pipe} through awk,
 * which keeps only counts; what it had not drained when stopped is counted from {@code trace}, and
 * events the buffer lost are reported. Stopping removes the instance.
 */
final class TracefsEvents implements ExitSource {

    static final List<String> EVENTS = List.of("kvm_exit", "kvm_nested_vmexit", "kvm_nested_vmexit_inject");

    /** Counts events by name, and kvm_exit also by reason as kvm_stat names it: {@code kvm_exit(HLT)}. */
    static final String COUNT = "awk '/ kvm_exit: /{n[\"kvm_exit\"]++; for(i=1;i<NF;i++) if($i==\"reason\")"
            + "{n[\"kvm_exit(\" $(i+1) \")\"]++; break}; next} / kvm_nested_vmexit_inject: /"
            + "{n[\"kvm_nested_vmexit_inject\"]++; next} / kvm_nested_vmexit: /{n[\"kvm_nested_vmexit\"]++; next} "
            + "END{for(k in n) print k, n[k]}'";

    /** Why there are no kvm events: tracefs is not mounted, or it is and kvm is not loaded. */
    static final String NOT_MOUNTED = "tracefs is not mounted on /sys/kernel/tracing (as root: mount -t tracefs "
            + "tracefs /sys/kernel/tracing)";
    static final String NO_KVM_EVENTS = "no kvm events in tracefs (events/kvm): kvm is not loaded";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long DRAIN_MILLIS = 10_000;

    private final Host host;
    private final String name = "nvmx-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String pidFile = "/tmp/" + name + ".pid";
    private String instance;
    private List<String> enabled;
    private BackgroundCommand reader;

    TracefsEvents(Host host) {
        this.host = host;
    }

    @Override
    public String name() {
        return "tracefs";
    }

    /** The private trace instance on the host, once started; for tests that check it goes away. */
    String instance() {
        return instance;
    }

    @Override
    public void start() throws SourceUnavailableException, InterruptedException {
        String script = "t=/sys/kernel/tracing; [ -d \"$t/events/kvm\" ] || t=/sys/kernel/debug/tracing; "
                + "if [ ! -d \"$t/events/kvm\" ]; then if [ -d /sys/kernel/tracing/events ] "
                + "|| [ -d /sys/kernel/debug/tracing/events ]; then echo \"" + NO_KVM_EVENTS + "\" >&2; "
                + "else echo \"" + NOT_MOUNTED + "\" >&2; fi; exit 3; fi; "
                + "i=\"$t/instances/" + name + "\"; mkdir \"$i\" || exit 1; echo \"instance $i\"; for e in "
                + String.join(" ", EVENTS) + "; do if [ -e \"$i/events/kvm/$e/enable\" ]; then "
                + "echo 1 > \"$i/events/kvm/$e/enable\" || { rmdir \"$i\"; exit 1; }; echo \"event $e\"; fi; done";
        CommandResult setup = run(script);
        if (!setup.succeeded()) {
            throw new SourceUnavailableException("tracefs: " + KvmStatTool.lastLine(setup));
        }
        enabled = new ArrayList<>();
        for (String line : setup.stdout().lines().toList()) {
            if (line.startsWith("instance ")) {
                instance = line.substring("instance ".length());
            } else if (line.startsWith("event ")) {
                enabled.add(line.substring("event ".length()));
            }
        }
        if (enabled.isEmpty()) {
            removeInstance();
            throw new SourceUnavailableException("tracefs: none of the events " + String.join(", ", EVENTS)
                    + " under events/kvm");
        }
        reader = BackgroundCommand.start(host, "sh -c 'echo $$ > " + pidFile + "; exec cat \"$1\"' sh \""
                + instance + "/trace_pipe\" | " + COUNT, "tracefs@" + host.name());
    }

    @Override
    public Rates stop(double seconds) throws SourceUnavailableException, InterruptedException {
        try {
            // a capture stopped right after it started: its reader may not have written its pid yet
            run(disableEvents() + "for i in $(seq 100); do [ -s " + pidFile + " ] && break; sleep 0.1; done; "
                    + "kill $(cat " + pidFile + ") 2>/dev/null; true");
            if (reader.awaitEnd(DRAIN_MILLIS) == null) {
                reader.kill();
                throw new SourceUnavailableException("tracefs: the reader of trace_pipe did not end within "
                        + DRAIN_MILLIS / 1000 + " s of being stopped");
            }
            if (reader.failure() != null) {
                throw new SourceUnavailableException("tracefs: reading trace_pipe: " + reader.failure().getMessage());
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            enabled.forEach(event -> counts.put(event, 0L));
            add(counts, reader.stdout());
            CommandResult rest = run(COUNT + " \"" + instance + "/trace\"; printf 'overrun %s\\n' \"$(cat \""
                    + instance + "\"/per_cpu/cpu*/stats | awk '/^overrun:/{s+=$2} END{print s+0}')\"");
            long lost = add(counts, rest.stdout());
            List<String> notes = lost == 0 ? List.of() : List.of("tracefs: " + lost + " events lost in a full trace "
                    + "buffer: the rates are lower bounds");
            Map<String, Double> rates = new LinkedHashMap<>();
            counts.forEach((event, count) -> rates.put(event, seconds > 0 ? count / seconds : 0));
            return new Rates(rates, notes);
        } finally {
            removeInstance();
        }
    }

    /** Adds {@code EVENT COUNT} lines to {@code counts}; returns the {@code overrun} line's value. */
    static long add(Map<String, Long> counts, String lines) {
        long overrun = 0;
        for (String line : lines.lines().filter(l -> !l.isBlank()).toList()) {
            int space = line.lastIndexOf(' ');
            String key = line.substring(0, space).strip();
            long value = Long.parseLong(line.substring(space + 1).strip());
            if (key.equals("overrun")) {
                overrun = value;
            } else {
                counts.merge(key, value, Long::sum);
            }
        }
        return overrun;
    }

    private String disableEvents() {
        return "for e in " + String.join(" ", EVENTS) + "; do f=\"" + instance + "/events/kvm/$e/enable\"; "
                + "[ -e \"$f\" ] && echo 0 > \"$f\"; done; ";
    }

    private void removeInstance() throws InterruptedException {
        if (instance != null) {
            try {
                run(disableEvents() + "rmdir \"" + instance + "\"; rm -f " + pidFile);
            } catch (SourceUnavailableException e) {
                // the host is gone: so is the instance's reader; nothing more can be done from here
            }
        }
    }

    private CommandResult run(String command) throws SourceUnavailableException, InterruptedException {
        try {
            return host.run(command, TIMEOUT);
        } catch (HostException e) {
            throw new SourceUnavailableException("tracefs: " + e.getMessage());
        }
    }
}
