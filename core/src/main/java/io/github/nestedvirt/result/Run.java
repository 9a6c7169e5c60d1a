package io.github.nestedvirt.result;

import io.github.nestedvirt.facts.HostFacts;
import java.time.Instant;
import java.util.List;

/**
 * One execution of a plan: what ran where, on which hosts, with every measurement.
 *
 * @param schemaVersion the version of this JSON layout, raised only when a field changes meaning or goes;
 *     readers ignore fields they do not know but refuse a version greater than theirs
 * @param id unique and sortable: start time in UTC plus a short random suffix
 * @param start when the run started
 * @param end when the run ended, or null while it runs
 * @param plan the plan's name
 * @param fingerprint the facts of every host measured in this run, one per host
 * @param measurements every measurement, in the order taken
 * @param failures benchmarks that did not produce a measurement, with the reason
 */
public record Run(int schemaVersion, String id, Instant start, Instant end, String plan,
        List<HostFacts> fingerprint, List<Measurement> measurements, List<String> failures) {

    public static final int SCHEMA_VERSION = 1;

    public Run {
        fingerprint = fingerprint == null ? List.of() : List.copyOf(fingerprint);
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        failures = failures == null ? List.of() : List.copyOf(failures);
    }
}
