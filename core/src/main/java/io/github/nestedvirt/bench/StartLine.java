package io.github.nestedvirt.bench;

import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the hosts that run one benchmark at once ({@link Together}) wait for each other before every
 * run, so that each run starts in all of them at the same moment: the slower hosts' preparation
 * (unpacking, configuring) and previous run are waited for.
 *
 * <p>The hosts also agree on the number of runs: another run is made while any of them asks for one
 * (its run count policy), so every run is made by all of them and none ever runs alone at the end.
 * When one host fails, the start line is abandoned and the others stop at their next wait.
 */
public final class StartLine {

    private final Phaser phaser;
    private final AtomicBoolean anotherAsked = new AtomicBoolean();
    private volatile boolean another;
    private volatile String abandonedBecause;

    /** @param hosts how many hosts run together; 1 for a host alone, which never waits */
    public StartLine(int hosts) {
        if (hosts < 1) {
            throw new IllegalArgumentException("a start line needs at least one host, got " + hosts);
        }
        phaser = new Phaser(hosts) {
            @Override
            protected boolean onAdvance(int phase, int registeredParties) {
                // runs once per round, when the last host has arrived: the round's decision for all
                another = anotherAsked.getAndSet(false);
                return false;
            }
        };
    }

    /** A host running the benchmark on its own. */
    public static StartLine alone() {
        return new StartLine(1);
    }

    /** How many hosts start together. */
    public int hosts() {
        return phaser.getRegisteredParties();
    }

    /** Waits for every host before a warm-up run. */
    void beforeWarmup() throws InterruptedException {
        arriveAndWait();
    }

    /**
     * Waits for every host before a measured run and returns whether it is made: true when any host
     * asked for it, the same answer for all.
     *
     * @param asked whether this host's run count policy calls for another run
     */
    boolean anotherRun(boolean asked) throws InterruptedException {
        if (asked) {
            anotherAsked.set(true);
        }
        arriveAndWait();
        return another;
    }

    /** Releases the others from any wait, now and later: they stop with {@link Abandoned}. */
    public void abandon(String because) {
        if (abandonedBecause == null) {
            abandonedBecause = because;
        }
        phaser.forceTermination();
    }

    private void arriveAndWait() throws InterruptedException {
        if (phaser.awaitAdvanceInterruptibly(phaser.arrive()) < 0 || phaser.isTerminated()) {
            throw new Abandoned(abandonedBecause);
        }
    }

    /** A host stopped because another host of its group failed: the other's failure is the news. */
    public static final class Abandoned extends RuntimeException {

        Abandoned(String because) {
            super("stopped with the others: " + because);
        }
    }
}
