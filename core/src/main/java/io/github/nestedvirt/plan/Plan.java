package io.github.nestedvirt.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.nestedvirt.kvmstat.KvmStatSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test plan: the hosts to measure and the benchmarks to run on them, read from YAML.
 *
 * @param name shown in results and reports
 * @param description free text
 * @param topology a topology file whose guests the run provisions first and tears down at the end,
 *     or null when every host already exists; relative to the plan's directory
 * @param hosts the hosts by id, e.g. {@code l0}, {@code l1}, {@code l2}
 * @param benchmarks run in this order; a failed benchmark is recorded and the next one runs
 * @param kvmStat how KVM events are captured on the hypervisors below each measured level
 * @param matrix the kvm_intel settings (MMU modes, VMCS shadowing) to run every benchmark under, one
 *     after the other; null to run once with the hosts as they are
 */
public record Plan(String name, String description, String topology, Map<String, HostSpec> hosts,
        List<BenchmarkSpec> benchmarks, KvmStatSettings kvmStat, PlanMatrix matrix) {

    @JsonCreator
    public Plan(@JsonProperty(value = "name", required = true) String name,
            @JsonProperty("description") String description,
            @JsonProperty("topology") String topology,
            @JsonProperty(value = "hosts", required = true) Map<String, HostSpec> hosts,
            @JsonProperty(value = "benchmarks", required = true) List<BenchmarkSpec> benchmarks,
            @JsonProperty("kvmStat") KvmStatSettings kvmStat,
            @JsonProperty("matrix") PlanMatrix matrix) {
        this.name = name;
        this.description = description == null ? "" : description;
        this.topology = topology;
        this.hosts = hosts == null ? Map.of() : new LinkedHashMap<>(hosts);
        this.benchmarks = benchmarks == null ? List.of() : List.copyOf(benchmarks);
        this.kvmStat = kvmStat == null ? KvmStatSettings.defaults() : kvmStat;
        this.matrix = matrix;
    }

    /** The same plan with its topology file resolved against {@code directory}. */
    public Plan withTopologyIn(java.nio.file.Path directory) {
        if (topology == null || directory == null) {
            return this;
        }
        return new Plan(name, description, directory.resolve(topology).toString(), hosts, benchmarks, kvmStat, matrix);
    }
}
