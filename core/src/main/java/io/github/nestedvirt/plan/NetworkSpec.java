package io.github.nestedvirt.plan;

import io.github.nestedvirt.bench.NetworkThroughput;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seed item 3 (network) between two hosts: {@code type: net}, {@code server}, {@code client} (the
 * measured level), then the benchmark's own keys.
 */
public record NetworkSpec(String server, String client, NetworkThroughput.Parameters parameters)
        implements BenchmarkSpec {

    @Override
    public String type() {
        return "net";
    }

    @Override
    public Map<String, String> hostReferences() {
        Map<String, String> references = new LinkedHashMap<>();
        references.put("server", server);
        references.put("client", client);
        return references;
    }
}
