package io.github.nestedvirt.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a command so that Ctrl-C or SIGTERM interrupts it instead of killing the JVM at once: the
 * command then ends its remote processes, saves what it measured and closes its connections.
 */
final class Interruptible {

    /** How long a shutdown waits for the command to save and clean up. */
    private static final long GRACE_MILLIS = 60_000;

    private Interruptible() {
    }

    static int run(Callable<Integer> command) {
        AtomicInteger exitCode = new AtomicInteger(ExitCode.INTERNAL_ERROR);
        Thread worker = new Thread(() -> {
            try {
                exitCode.set(command.call());
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "nvmx");
        Thread hook = new Thread(() -> {
            if (worker.isAlive()) {
                System.err.println("nvmx: interrupted, stopping and saving what was measured ...");
                worker.interrupt();
                try {
                    worker.join(GRACE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "nvmx-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running: it waits for the worker, which has finished
        }
        return exitCode.get();
    }
}
