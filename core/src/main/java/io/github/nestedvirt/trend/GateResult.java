package io.github.nestedvirt.trend;

import java.util.List;

/**
 * What a quality gate decided, and why, in sentences for the build log and the build page.
 *
 * @param status the build status the gate asks for
 * @param messages one line per finding: regressions first, then what could not be compared, then a summary
 */
public record GateResult(GateStatus status, List<String> messages) {

    public GateResult {
        messages = List.copyOf(messages);
    }
}
