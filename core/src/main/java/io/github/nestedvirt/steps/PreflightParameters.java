package io.github.nestedvirt.steps;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Duration;

/**
 * What {@code nestedPreflight} takes besides its target.
 *
 * @param probeTimeout how long the KVM probe may take before KVM counts as hanging
 */
public record PreflightParameters(Duration probeTimeout) {

    @JsonCreator
    public static PreflightParameters fromStep(
            @JsonProperty("probeTimeoutSeconds") @JsonPropertyDescription("How long the short KVM probe guest may "
                    + "take before KVM counts as hanging. Default: 10.") Integer probeTimeoutSeconds) {
        int seconds = probeTimeoutSeconds == null ? 10 : probeTimeoutSeconds;
        if (seconds < 1) {
            throw new IllegalArgumentException("probeTimeoutSeconds: must be 1 or more seconds, got " + seconds);
        }
        return new PreflightParameters(Duration.ofSeconds(seconds));
    }
}
