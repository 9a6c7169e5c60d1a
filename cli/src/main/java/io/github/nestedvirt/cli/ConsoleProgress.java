package io.github.nestedvirt.cli;

import io.github.nestedvirt.bench.Progress;
import java.io.PrintStream;
import java.time.Duration;

/** Progress on stderr, so that stdout stays clean for {@code --json}. */
final class ConsoleProgress implements Progress {

    private final PrintStream out;

    ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void run(String task, int index, int planned, int cap, Duration elapsed) {
        StringBuilder line = new StringBuilder("[").append(task).append("] run ").append(index).append(" of ")
                .append(planned);
        if (cap > planned) {
            line.append(" (max ").append(cap).append(')');
        }
        line.append(", elapsed ").append(format(elapsed));
        if (index > 1) {
            Duration perRun = elapsed.dividedBy(index - 1);
            line.append(", about ").append(format(perRun.multipliedBy(planned - index + 1))).append(" left");
        }
        out.println(line);
        out.flush();
    }

    @Override
    public void info(String message) {
        out.println(message);
        out.flush();
    }

    static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
