package io.github.nestedvirt.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Map;

/**
 * Seed item 4: {@code guestfish -a /dev/null run} launch time.
 *
 * @param host the plan host to measure
 * @param repeat 1 warm-up run (it builds the appliance cache) and 10 measured runs by default
 * @param backend {@code LIBGUESTFS_BACKEND}, e.g. {@code direct}; null keeps libguestfs' default
 * @param backendSettings {@code LIBGUESTFS_BACKEND_SETTINGS}, e.g. {@code force_tcg}
 * @param timeout per launch
 */
public record GuestfishSpec(String host, Repeat repeat, String backend, String backendSettings, Duration timeout)
        implements BenchmarkSpec {

    @JsonCreator
    static GuestfishSpec fromPlan(@JsonProperty(value = "host", required = true) String host,
            @JsonProperty("warmups") Integer warmups, @JsonProperty("runs") Integer runs,
            @JsonProperty("maxRuns") Integer maxRuns, @JsonProperty("rsdThreshold") Double rsdThreshold,
            @JsonProperty("backend") String backend, @JsonProperty("backendSettings") String backendSettings,
            @JsonProperty("timeoutSeconds") Integer timeoutSeconds) {
        return new GuestfishSpec(host, Repeat.of(warmups, runs, maxRuns, rsdThreshold, 1, 10), backend,
                backendSettings, Duration.ofSeconds(timeoutSeconds == null ? 600 : timeoutSeconds));
    }

    @Override
    public Map<String, String> hostReferences() {
        return Map.of("host", host);
    }
}
