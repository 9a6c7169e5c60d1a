package io.github.nestedvirt.steps;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code nestedProvision} and {@code nestedTopology} take besides the topology's own keys
 * ({@code l0}, {@code l1}): a topology file instead of them, how long the guests are needed, and
 * the {@code kvm_intel} parameters the L1s run with.
 *
 * @param file a topology file (YAML), or null when the topology is given inline
 * @param expiresHours after this many hours {@code nvmx reap} may remove the guests
 * @param l1KvmIntel {@code kvm_intel} parameters switched in every L1 once it is up; empty to keep its defaults
 */
public record ProvisionParameters(String file, int expiresHours, Map<String, String> l1KvmIntel) {

    /** What a module parameter's name and value may be: they go into a modprobe command line. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]+");

    public ProvisionParameters {
        l1KvmIntel = Map.copyOf(l1KvmIntel);
    }

    @JsonCreator
    public static ProvisionParameters fromStep(
            @JsonPropertyDescription("A topology file (YAML, see docs/topology.md), relative to the working"
                    + " directory; instead of giving 'l0' and 'l1' here.")
            @JsonProperty("file") String file,
            @JsonPropertyDescription("How long the guests are needed; after that 'nvmx reap' may remove them"
                    + " if nothing tore them down. Default: 24.")
            @JsonProperty("expiresHours") Integer expiresHours,
            @JsonPropertyDescription("kvm_intel parameters to switch in every L1 once it is up, e.g. [ept: 0]"
                    + " for shadow-on-EPT; each is checked in sysfs. Default: none, the L1's own defaults.")
            @JsonProperty("l1KvmIntel") Map<String, Object> l1KvmIntel) {
        int hours = expiresHours == null ? 24 : expiresHours;
        if (hours < 1) {
            throw new IllegalArgumentException("expiresHours: must be 1 or more hours, got " + hours);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (l1KvmIntel != null) {
            l1KvmIntel.forEach((name, value) -> {
                String text = String.valueOf(value);
                if (!WORD.matcher(name).matches() || !WORD.matcher(text).matches()) {
                    throw new IllegalArgumentException("l1KvmIntel: '" + name + ": " + text + "' is not a module "
                            + "parameter; use names and values of letters, digits and '_', e.g. [ept: 0]");
                }
                parameters.put(name, text);
            });
        }
        return new ProvisionParameters(file, hours, parameters);
    }
}
