package io.github.nestedvirt.bench;

import java.time.Duration;

/** Where long work reports how far it got: the CLI prints it on stderr, the plugin to the build log. */
public interface Progress {

    Progress NONE = new Progress() {
        @Override
        public void run(String task, int index, int planned, Duration elapsed) {
        }

        @Override
        public void info(String message) {
        }
    };

    /**
     * Run {@code index} (1-based) of {@code planned} of {@code task} is starting.
     *
     * @param elapsed time spent on the task so far, for an estimate of what is left
     */
    void run(String task, int index, int planned, Duration elapsed);

    /** A line worth showing the user. */
    void info(String message);
}
