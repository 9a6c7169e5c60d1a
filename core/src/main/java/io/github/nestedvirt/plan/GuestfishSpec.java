package io.github.nestedvirt.plan;

import io.github.nestedvirt.bench.GuestfishLaunch;
import java.util.Map;

/** Seed item 4 on one host: {@code type: guestfish}, {@code host}, then the benchmark's own keys. */
public record GuestfishSpec(String host, GuestfishLaunch.Parameters parameters) implements BenchmarkSpec {

    @Override
    public String type() {
        return "guestfish";
    }

    @Override
    public Map<String, String> hostReferences() {
        return Map.of("host", host);
    }
}
