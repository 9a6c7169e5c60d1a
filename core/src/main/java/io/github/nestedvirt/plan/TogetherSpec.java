package io.github.nestedvirt.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark in several hosts at once: {@code together: [l2a, l2b]} in place of {@code host}. It
 * holds the entry as it would read for each host alone, all with the same settings.
 *
 * @param each one single-host entry per host, in the order of {@code together}
 */
public record TogetherSpec(List<BenchmarkSpec> each) implements BenchmarkSpec {

    /** The types that can run in several hosts at once: those repeated by a run loop on one host. */
    public static final List<String> TYPES = List.of("guestfish", "io", "kernel");

    public TogetherSpec {
        each = List.copyOf(each);
        if (each.size() < 2) {
            throw new IllegalArgumentException("together: needs at least two hosts, got " + each.size());
        }
    }

    @Override
    public String type() {
        return each.get(0).type();
    }

    /** The hosts, in the order of {@code together}. */
    public List<String> hosts() {
        return each.stream().map(spec -> spec.hostReferences().get("host")).toList();
    }

    @Override
    public Map<String, String> hostReferences() {
        Map<String, String> references = new LinkedHashMap<>();
        List<String> hosts = hosts();
        for (int i = 0; i < hosts.size(); i++) {
            references.put("together[" + i + "]", hosts.get(i));
        }
        return references;
    }
}
