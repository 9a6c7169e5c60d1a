package io.github.nestedvirt.rundir;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Where the engine of a run directory stands, as seen from outside the engine.
 *
 * @param status what the files of the run directory and the process table say
 * @param pid the engine's process id, once it has written it
 * @param exitCode its exit code, once it has written {@code exit}
 */
public record EngineState(Status status, OptionalLong pid, OptionalInt exitCode) {

    public enum Status {
        /** No {@code pid} and no {@code exit} yet: the engine has not started (or not got far). */
        NOT_STARTED,
        /** The process named in {@code pid} is alive and has not written {@code exit}. */
        RUNNING,
        /** The engine wrote {@code exit}: it finished, failed or was stopped, and cleaned up. */
        EXITED,
        /** The process is gone without writing {@code exit}: killed (SIGKILL, out of memory) or the machine restarted. */
        VANISHED
    }
}
