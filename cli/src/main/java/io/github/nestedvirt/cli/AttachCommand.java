package io.github.nestedvirt.cli;

import io.github.nestedvirt.rundir.EngineState;
import io.github.nestedvirt.rundir.LogChunk;
import io.github.nestedvirt.rundir.RunDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nvmx attach DIR}: follows an engine's log until it exits, as the Jenkins step does. */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Prints DIR/log.txt from the start (or from --from) as the engine started by 'nvmx exec' "
                + "writes it, until the engine exits, and exits with the engine's exit code.",
            "If the engine is gone without writing DIR/exit (killed, machine restarted), says so and exits 70. "
                + "Ctrl-C stops only the attach; the engine goes on."})
final class AttachCommand implements Callable<Integer> {

    private static final int CHUNK = 64 * 1024;
    private static final Duration MAX_POLL = Duration.ofSeconds(2);

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
    Path runDir;

    @Option(names = "--from", paramLabel = "OFFSET", defaultValue = "0",
            description = "Byte offset in log.txt to start at, e.g. the number of bytes already shown. "
                    + "Default: ${DEFAULT-VALUE}.")
    long from;

    @Override
    public Integer call() throws Exception {
        if (from < 0) {
            throw new IllegalArgumentException("--from: must be 0 or more, got " + from);
        }
        RunDirectory dir = RunDirectory.open(runDir);
        long offset = from;
        Duration poll = Duration.ofMillis(100);
        boolean toldNotStarted = false;
        while (true) {
            // the state first: output written before the engine ended is read after, so none is lost
            EngineState state = dir.state();
            LogChunk chunk = dir.readLog(offset, CHUNK);
            if (!chunk.text().isEmpty()) {
                System.out.print(chunk.text());
                System.out.flush();
                offset = chunk.nextOffset();
                poll = Duration.ofMillis(100);
                continue;
            }
            switch (state.status()) {
                case EXITED:
                    return state.exitCode().getAsInt();
                case VANISHED:
                    System.err.println("nvmx: " + dir.describe(state));
                    return ExitCode.INTERNAL_ERROR;
                case NOT_STARTED:
                    if (!toldNotStarted) {
                        System.err.println("nvmx: " + dir.describe(state) + "; waiting");
                        toldNotStarted = true;
                    }
                    break;
                default:
                    break;
            }
            Thread.sleep(poll.toMillis());
            poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
        }
    }
}
