package io.github.nestedvirt.plan;

import io.github.nestedvirt.stability.StabilityRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed item 6 (many nested guests): {@code type: stability}, {@code hosts} (the plan hosts to
 * watch, any levels), then the run's own keys.
 */
public record StabilitySpec(List<String> hosts, StabilityRun.Parameters parameters) implements BenchmarkSpec {

    public StabilitySpec {
        hosts = List.copyOf(hosts);
    }

    @Override
    public String type() {
        return "stability";
    }

    @Override
    public Map<String, String> hostReferences() {
        Map<String, String> references = new LinkedHashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            references.put("hosts[" + i + "]", hosts.get(i));
        }
        return references;
    }
}
