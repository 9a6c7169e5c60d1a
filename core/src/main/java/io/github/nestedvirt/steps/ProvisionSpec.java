package io.github.nestedvirt.steps;

import io.github.nestedvirt.topology.Topology;
import java.time.Duration;

/**
 * What {@code nestedProvision} and {@code nestedTopology} bring up, validated.
 *
 * @param topology the guests, read from a file or given inline
 * @param expires how long the guests are needed
 */
public record ProvisionSpec(Topology topology, Duration expires) {
}
