package io.github.nestedvirt.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Map;

/**
 * One benchmark entry of a plan: {@code type} says which benchmark, the host keys say where, and
 * every other key belongs to the benchmark's own {@code Parameters} record, the single definition
 * of its settings and defaults.
 */
@JsonDeserialize(using = BenchmarkSpecDeserializer.class)
public sealed interface BenchmarkSpec permits GuestfishSpec, IoScanSpec, KernelBuildSpec, KvmUnitTestsSpec,
        NetworkSpec, StabilitySpec, TogetherSpec {

    /** The values of {@code type}. */
    List<String> TYPES = List.of("guestfish", "io", "kernel", "kvm-unit-tests", "net", "stability");

    /** The entry's {@code type}, one of {@link #TYPES}. */
    String type();

    /** Which plan hosts this entry uses, by key: {@code host -> l0}, {@code server}/{@code client},
     * or {@code hosts[0]}, {@code hosts[1]}... */
    Map<String, String> hostReferences();
}
