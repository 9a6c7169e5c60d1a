package io.github.nestedvirt.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nestedvirt.bench.GuestfishLaunch;
import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.KernelBuild;
import io.github.nestedvirt.bench.KvmUnitTests;
import io.github.nestedvirt.bench.NetworkThroughput;
import io.github.nestedvirt.stability.StabilityRun;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Splits a benchmark entry into its type, its host keys and the benchmark's parameters, which are
 * read by the benchmark's own {@code Parameters.fromPlan} with the plan's strict settings.
 */
final class BenchmarkSpecDeserializer extends StdDeserializer<BenchmarkSpec> {

    BenchmarkSpecDeserializer() {
        super(BenchmarkSpec.class);
    }

    @Override
    public BenchmarkSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode tree = context.readTree(parser);
        if (!(tree instanceof ObjectNode entry)) {
            throw MismatchedInputException.from(parser, BenchmarkSpec.class,
                    "a benchmark entry must be a mapping with a 'type' key, e.g. {type: io, host: l0}");
        }
        String type = text(parser, entry, "type");
        switch (type) {
            case "guestfish": {
                List<String> hosts = hostOrTogether(parser, entry);
                GuestfishLaunch.Parameters parameters = context.readTreeAsValue(entry, GuestfishLaunch.Parameters.class);
                return oneOrTogether(hosts, host -> new GuestfishSpec(host, parameters));
            }
            case "io": {
                List<String> hosts = hostOrTogether(parser, entry);
                IoScan.Parameters parameters = context.readTreeAsValue(entry, IoScan.Parameters.class);
                return oneOrTogether(hosts, host -> new IoScanSpec(host, parameters));
            }
            case "kernel": {
                List<String> hosts = hostOrTogether(parser, entry);
                KernelBuild.Parameters parameters = context.readTreeAsValue(entry, KernelBuild.Parameters.class);
                return oneOrTogether(hosts, host -> new KernelBuildSpec(host, parameters));
            }
            case "kvm-unit-tests":
                notTogether(parser, entry, type, "it runs once, not run after run");
                return new KvmUnitTestsSpec(text(parser, entry, "host"),
                        context.readTreeAsValue(entry, KvmUnitTests.Parameters.class));
            case "net":
                notTogether(parser, entry, type, "it has a server and a client");
                return new NetworkSpec(text(parser, entry, "server"), text(parser, entry, "client"),
                        context.readTreeAsValue(entry, NetworkThroughput.Parameters.class));
            case "stability":
                notTogether(parser, entry, type, "it watches all its 'hosts' at once already");
                return new StabilitySpec(texts(parser, entry, "hosts"),
                        context.readTreeAsValue(entry, StabilityRun.Parameters.class));
            default:
                throw InvalidTypeIdException.from(parser, "unknown benchmark type '" + type + "'; known types: "
                        + String.join(", ", BenchmarkSpec.TYPES),
                        context.constructType(BenchmarkSpec.class), type);
        }
    }

    /**
     * Removes and returns the entry's hosts: {@code host} (one), or {@code together} (two or more, each
     * running the benchmark at the same moment), exactly one of the two.
     */
    private static List<String> hostOrTogether(JsonParser parser, ObjectNode entry) throws MismatchedInputException {
        if (!entry.has("together")) {
            return List.of(text(parser, entry, "host"));
        }
        if (entry.has("host")) {
            throw MismatchedInputException.from(parser, BenchmarkSpec.class, "give either 'host' (one host) or "
                    + "'together' (several hosts at once), not both");
        }
        List<String> hosts = texts(parser, entry, "together");
        if (hosts.size() < 2) {
            throw MismatchedInputException.from(parser, BenchmarkSpec.class, "together: names " + hosts.size()
                    + " host; list two or more to run the benchmark in them at once, or use 'host: "
                    + hosts.get(0) + "'");
        }
        return hosts;
    }

    /** One host's entry, or the entries of all hosts run together. */
    private static BenchmarkSpec oneOrTogether(List<String> hosts, Function<String, BenchmarkSpec> entryFor) {
        return hosts.size() == 1 ? entryFor.apply(hosts.get(0)) : new TogetherSpec(hosts.stream().map(entryFor).toList());
    }

    private static void notTogether(JsonParser parser, ObjectNode entry, String type, String why)
            throws MismatchedInputException {
        if (entry.has("together")) {
            throw MismatchedInputException.from(parser, BenchmarkSpec.class, "together: a '" + type
                    + "' entry cannot run in several hosts at once (" + why + "); 'together' works with "
                    + String.join(", ", TogetherSpec.TYPES));
        }
    }

    /** Removes and returns a required, non-empty list of host ids. */
    private static List<String> texts(JsonParser parser, ObjectNode entry, String key) throws MismatchedInputException {
        JsonNode value = entry.remove(key);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw MismatchedInputException.from(parser, BenchmarkSpec.class, "missing required key '" + key
                    + "': a list of the ids of hosts of this plan, e.g. [l1a, l1b]");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode id = value.get(i);
            if (!id.isTextual() || id.asText().isBlank()) {
                throw MismatchedInputException.from(parser, BenchmarkSpec.class,
                        key + "[" + i + "]: must be the id of a host of this plan, got " + id);
            }
            if (ids.contains(id.asText())) {
                throw MismatchedInputException.from(parser, BenchmarkSpec.class,
                        key + "[" + i + "]: host '" + id.asText() + "' is listed twice");
            }
            ids.add(id.asText());
        }
        return ids;
    }

    /** Removes and returns a required text key, so the rest of the entry is the benchmark's own. */
    private static String text(JsonParser parser, ObjectNode entry, String key) throws MismatchedInputException {
        JsonNode value = entry.remove(key);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw MismatchedInputException.from(parser, BenchmarkSpec.class,
                    "missing required key '" + key + "'" + (key.equals("type") ? " (one of "
                            + String.join(", ", BenchmarkSpec.TYPES) + ")" : " (the id of a host of this plan)"));
        }
        return value.asText();
    }
}
