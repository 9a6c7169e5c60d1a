package io.github.nestedvirt.bench;

import java.time.Duration;
import java.util.function.Consumer;

/** Where long work reports how far it got: the CLI prints it on stderr, the plugin to the build log. */
public interface Progress {

    Progress NONE = new Progress() {
        @Override
        public void run(String task, int index, int planned, int cap, Duration elapsed) {
        }

        @Override
        public void info(String message) {
        }
    };

    /**
     * Run {@code index} (1-based) of {@code planned} of {@code task} is starting; at most {@code cap} runs
     * will be made when the samples keep varying. Shows like {@code run 4 of 5 (max 12)}.
     *
     * @param elapsed time spent on these runs so far, for an estimate of what is left
     */
    void run(String task, int index, int planned, int cap, Duration elapsed);

    /** A line worth showing the user. */
    void info(String message);

    /** Progress that shows only the lines worth showing, to {@code lines}; run counts are dropped. */
    static Progress lines(Consumer<String> lines) {
        return new Progress() {
            @Override
            public void run(String task, int index, int planned, int cap, Duration elapsed) {
            }

            @Override
            public void info(String message) {
                lines.accept(message);
            }
        };
    }
}
