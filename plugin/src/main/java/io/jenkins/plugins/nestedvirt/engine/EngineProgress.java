package io.jenkins.plugins.nestedvirt.engine;

import java.io.Serializable;

/**
 * What one look at a run directory found: new log text, where to read next, and whether the
 * engine still runs.
 *
 * @param log new text of {@code log.txt}, never splitting a character
 * @param nextOffset where the next look starts reading the log
 * @param status {@code NOT_STARTED}, {@code RUNNING}, {@code EXITED} or {@code VANISHED}
 * @param exitCode the engine's exit code once it has {@code EXITED}, else null
 * @param moreLog true if the log holds more than was read this time
 */
public record EngineProgress(String log, long nextOffset, String status, Integer exitCode, boolean moreLog)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public boolean exited() {
        return "EXITED".equals(status);
    }

    public boolean vanished() {
        return "VANISHED".equals(status);
    }
}
