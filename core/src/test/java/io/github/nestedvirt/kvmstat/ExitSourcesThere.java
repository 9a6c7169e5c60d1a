package io.github.nestedvirt.kvmstat;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a kvm_stat capture should find on a host, read from the host itself with plain probes (its mount
 * table, the directories, a counter read with {@code cat}) rather than by the engine, so that a test of the
 * engine holds on a machine with debugfs mounted or not, kvm_stat installed or not, kvm loaded or not, and
 * still fails when the engine picks the wrong source or gives the wrong reason.
 *
 * @param notePrefixes how each source that cannot be used there is recorded, in the order they are tried
 * @param source the source that should be used, or null when none can be
 */
public record ExitSourcesThere(List<String> notePrefixes, String source) {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Probes {@code host}; {@code kvmStat} is the kvm_stat command the capture is told to use. */
    public static ExitSourcesThere probe(Host host, String kvmStat) throws Exception {
        List<String> notes = new ArrayList<>();
        String command = Shell.quote(kvmStat);
        CommandResult tool = host.run("command -v " + command + " >/dev/null || exit 127; " + command + " -1", TIMEOUT);
        if (tool.exitStatus() == 127) {
            notes.add("kvm_stat: not installed (");
        } else if (tool.succeeded()) {
            return new ExitSourcesThere(notes, "kvm_stat");
        } else {
            notes.add("kvm_stat -1 failed with exit status " + tool.exitStatus() + ": " + KvmStatTool.lastLine(tool));
        }

        String mounts = host.run("cat /proc/self/mounts", TIMEOUT).stdout();
        if (!mounted(mounts, "/sys/kernel/debug", "debugfs")) {
            notes.add("debugfs: " + DebugfsCounters.NOT_MOUNTED);
        } else if (!isDirectory(host, DebugfsCounters.DIRECTORY)) {
            notes.add("debugfs: no " + DebugfsCounters.DIRECTORY + ": " + DebugfsCounters.NO_KVM);
        } else {
            CommandResult read = host.run("cat " + DebugfsCounters.DIRECTORY + "/exits", TIMEOUT);
            if (read.succeeded()) {
                return new ExitSourcesThere(notes, "debugfs");
            }
            notes.add("debugfs: " + KvmStatTool.lastLine(read));
        }

        if (tracefsHasKvmEvents(host)) {
            return new ExitSourcesThere(notes, "tracefs");
        }
        boolean tracefs = mounted(mounts, "/sys/kernel/tracing", "tracefs")
                || mounted(mounts, "/sys/kernel/debug/tracing", "tracefs");
        notes.add("tracefs: " + (tracefs ? TracefsEvents.NO_KVM_EVENTS : TracefsEvents.NOT_MOUNTED));
        return new ExitSourcesThere(notes, null);
    }

    /** Whether the host's tracefs, in either of its usual places, has kvm's trace events. */
    public static boolean tracefsHasKvmEvents(Host host) throws Exception {
        return isDirectory(host, "/sys/kernel/tracing/events/kvm") || isDirectory(host, "/sys/kernel/debug/tracing/events/kvm");
    }

    private static boolean mounted(String mounts, String mountPoint, String type) {
        return mounts.lines().map(line -> line.split(" ")).anyMatch(f -> f.length > 2 && f[1].equals(mountPoint)
                && f[2].equals(type));
    }

    private static boolean isDirectory(Host host, String path) throws Exception {
        return host.run("test -d " + path, TIMEOUT).succeeded();
    }
}
