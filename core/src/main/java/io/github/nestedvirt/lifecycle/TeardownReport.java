package io.github.nestedvirt.lifecycle;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a teardown did with each resource, in the order it went through them (reverse creation
 * order). A teardown never stops at a failure: {@link #failures()} lists every resource that may
 * still exist, with the reason.
 */
public record TeardownReport(List<Step> steps) {

    /** What happened to one resource. */
    public enum Outcome {
        /** It existed and was removed. */
        REMOVED,
        /** It did not exist (any more): a planned resource never created, or an earlier teardown. */
        ALREADY_GONE,
        /**
         * Its L1 could not be reached to remove it, but that L1 was removed, and it with it:
         * {@code detail} says why the L1 could not be reached.
         */
        REMOVED_WITH_L1,
        /** Removing it failed: it may still exist. */
        FAILED
    }

    /** One resource and its outcome; {@code detail} says why it failed, or is empty. */
    public record Step(Resource resource, Outcome outcome, String detail) {
    }

    public TeardownReport {
        steps = List.copyOf(steps);
    }

    /** Resources that may still exist, with the reason. */
    public List<Step> failures() {
        return steps.stream().filter(s -> s.outcome() == Outcome.FAILED).toList();
    }

    /** Resources this teardown removed (not those already gone). */
    public List<Resource> removed() {
        return steps.stream().filter(s -> s.outcome() == Outcome.REMOVED).map(Step::resource).toList();
    }

    /** True when nothing recorded can still exist. */
    public boolean complete() {
        return failures().isEmpty();
    }

    /** One line per resource, for people: {@code removed domain nvmx-l1 on qemu:///system}. */
    public String toText() {
        if (steps.isEmpty()) {
            return "nothing to remove";
        }
        return steps.stream().map(s -> switch (s.outcome()) {
            case REMOVED -> "removed " + s.resource().describe();
            case ALREADY_GONE -> "already gone: " + s.resource().describe();
            case REMOVED_WITH_L1 -> "removed with L1 " + s.resource().within() + ": " + s.resource().describe()
                    + " (" + s.detail() + ")";
            case FAILED -> "FAILED to remove " + s.resource().describe() + ": " + s.detail();
        }).collect(Collectors.joining(System.lineSeparator()));
    }
}
