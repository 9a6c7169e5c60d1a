package io.github.nestedvirt.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.github.nestedvirt.result.RunCountPolicy;
import java.util.List;
import java.util.Map;

/** One benchmark entry of a plan; {@code type} says which benchmark. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GuestfishSpec.class, name = "guestfish"),
    @JsonSubTypes.Type(value = IoScanSpec.class, name = "io"),
    @JsonSubTypes.Type(value = KernelBuildSpec.class, name = "kernel"),
    @JsonSubTypes.Type(value = NetworkSpec.class, name = "net")
})
public sealed interface BenchmarkSpec permits GuestfishSpec, IoScanSpec, KernelBuildSpec, NetworkSpec {

    /** The values of {@code type}. */
    List<String> TYPES = List.of("guestfish", "io", "kernel", "net");

    /** Which plan hosts this entry uses, by key: {@code host -> l0}, or {@code server}/{@code client}. */
    Map<String, String> hostReferences();

    /** How many measured runs. */
    Repeat repeat();

    /**
     * How often to run: {@code runs} at least, up to {@code maxRuns} while the relative standard
     * deviation stays at or above {@code rsdThreshold} (Phoronix rule), after {@code warmups}
     * discarded runs.
     */
    record Repeat(int warmups, int runs, int maxRuns, double rsdThreshold) {

        public Repeat {
            if (warmups < 0) {
                throw new IllegalArgumentException("warmups: must be 0 or more, got " + warmups);
            }
            new RunCountPolicy(runs, maxRuns, rsdThreshold); // validated here, where the plan line is known
        }

        static Repeat of(Integer warmups, Integer runs, Integer maxRuns, Double rsdThreshold, int defaultWarmups,
                int defaultRuns) {
            int min = runs == null ? defaultRuns : runs;
            return new Repeat(warmups == null ? defaultWarmups : warmups, min, maxRuns == null ? min * 2 : maxRuns,
                    rsdThreshold == null ? RunCountPolicy.DEFAULT_RSD_THRESHOLD : rsdThreshold);
        }

        public RunCountPolicy policy() {
            return new RunCountPolicy(runs, maxRuns, rsdThreshold);
        }
    }
}
