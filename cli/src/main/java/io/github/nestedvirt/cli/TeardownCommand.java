package io.github.nestedvirt.cli;

import io.github.nestedvirt.lifecycle.LibvirtErrorOutput;
import io.github.nestedvirt.lifecycle.Teardown;
import io.github.nestedvirt.lifecycle.TeardownReport;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.lifecycle.TopologyRecordException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nvmx teardown RUN_DIR}: removes every resource a run recorded, whatever state it was left in. */
@Command(name = "teardown", mixinStandardHelpOptions = true,
        description = {"Removes every resource recorded in RUN_DIR/topology.json (domains, volumes, networks, "
                + "seed images, files), newest first, and marks each one removed in the record.",
            "Safe to repeat: resources already gone count as removed. A failure does not stop the others; "
                + "all failures are listed at the end (exit code 5).",
            "Files recorded inside a guest go away with the guest; only files on this machine are removed here."})
final class TeardownCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory (it holds topology.json).")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        LibvirtErrorOutput.silence();
        TopologyRecord record;
        try {
            record = TopologyRecord.read(runDir);
        } catch (TopologyRecordException e) {
            System.err.println("nvmx: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        TeardownReport report = Teardown.fromThisMachine().run(record);
        System.out.println(report.toText());
        if (!report.complete()) {
            System.err.println("nvmx: " + report.failures().size() + " resource(s) of run " + record.run()
                    + " may be left; fix the cause and run 'nvmx teardown " + runDir + "' again");
            return ExitCode.CLEANUP_INCOMPLETE;
        }
        return ExitCode.OK;
    }
}
