package io.github.nestedvirt.cli;

import io.github.nestedvirt.lifecycle.LibvirtErrorOutput;
import io.github.nestedvirt.lifecycle.Reaper;
import java.util.List;
import java.util.concurrent.Callable;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nvmx reap}: removes domains whose owning run is gone or whose expiry has passed. */
@Command(name = "reap", mixinStandardHelpOptions = true,
        description = {"Removes (destroys and undefines) the libvirt domains that nvmx created and nobody needs any "
                + "more: those whose owner tag says they expired, and those whose owner process on this machine "
                + "is gone (no such pid, or the pid now belongs to a process started after the domain).",
            "Domains without nvmx's owner tag are never touched. The volumes and files of a dead run are in its "
                + "run directory: remove them with 'nvmx teardown RUN_DIR'."})
final class ReapCommand implements Callable<Integer> {

    @Option(names = "--connect", paramLabel = "URI", defaultValue = "qemu:///system",
            description = "The libvirt to look at. Default: ${DEFAULT-VALUE}.")
    String uri;

    @Option(names = "--dry-run", description = "Only say what would be removed.")
    boolean dryRun;

    @Option(names = "--run", paramLabel = "RUN_ID",
            description = "Only domains of this run are candidates; those of other runs are kept.")
    String run;

    @Override
    public Integer call() throws Exception {
        LibvirtErrorOutput.silence();
        Connect libvirt;
        try {
            libvirt = new Connect(uri);
        } catch (LibvirtException e) {
            System.err.println("nvmx: cannot connect to libvirt at " + uri + ": " + e.getMessage());
            return ExitCode.HOST_UNREACHABLE;
        }
        try {
            List<Reaper.Verdict> verdicts = Reaper.onThisMachine().reap(libvirt, dryRun, run);
            long notOurs = verdicts.stream().filter(v -> v.owner().isEmpty()).count();
            verdicts.stream().filter(v -> v.owner().isPresent()).forEach(v -> System.out.println(v.toText()));
            long failed = verdicts.stream().filter(v -> v.action() == Reaper.Action.FAILED).count();
            System.out.println(count(verdicts, dryRun ? Reaper.Action.WOULD_REMOVE : Reaper.Action.REMOVED)
                    + (dryRun ? " would be removed, " : " removed, ")
                    + count(verdicts, Reaper.Action.KEPT) + " kept (" + notOurs + " not created by nvmx) on " + uri);
            if (failed > 0) {
                System.err.println("nvmx: " + failed + " domain(s) could not be removed; see FAILED above");
                return ExitCode.CLEANUP_INCOMPLETE;
            }
            return ExitCode.OK;
        } finally {
            libvirt.close();
        }
    }

    private static long count(List<Reaper.Verdict> verdicts, Reaper.Action action) {
        return verdicts.stream().filter(v -> v.action() == action).count();
    }
}
