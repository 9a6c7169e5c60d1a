package io.github.nestedvirt.steps;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What {@code nestedProvision} and {@code nestedTopology} take besides the topology's own keys
 * ({@code l0}, {@code l1}): a topology file instead of them, and how long the guests are needed.
 *
 * @param file a topology file (YAML), or null when the topology is given inline
 * @param expiresHours after this many hours {@code nvmx reap} may remove the guests
 */
public record ProvisionParameters(String file, int expiresHours) {

    @JsonCreator
    public static ProvisionParameters fromStep(
            @JsonProperty("file") @JsonPropertyDescription("A topology file (YAML, see docs/topology.md), relative to "
                    + "the working directory; instead of giving 'l0' and 'l1' here.") String file,
            @JsonProperty("expiresHours") @JsonPropertyDescription("How long the guests are needed; after that "
                    + "'nvmx reap' may remove them if nothing tore them down. Default: 24.") Integer expiresHours) {
        int hours = expiresHours == null ? 24 : expiresHours;
        if (hours < 1) {
            throw new IllegalArgumentException("expiresHours: must be 1 or more hours, got " + hours);
        }
        return new ProvisionParameters(file, hours);
    }
}
