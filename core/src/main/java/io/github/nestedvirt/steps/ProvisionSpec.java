package io.github.nestedvirt.steps;

import io.github.nestedvirt.topology.Topology;
import java.time.Duration;
import java.util.Map;

/**
 * What {@code nestedProvision} and {@code nestedTopology} bring up, validated.
 *
 * @param topology the guests, read from a file or given inline
 * @param expires how long the guests are needed
 * @param l1KvmIntel {@code kvm_intel} parameters switched in every L1 once it is up; empty to keep its defaults
 */
public record ProvisionSpec(Topology topology, Duration expires, Map<String, String> l1KvmIntel) {
}
