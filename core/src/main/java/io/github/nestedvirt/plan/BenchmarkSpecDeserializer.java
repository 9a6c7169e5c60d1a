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
            case "guestfish":
                return new GuestfishSpec(text(parser, entry, "host"),
                        context.readTreeAsValue(entry, GuestfishLaunch.Parameters.class));
            case "io":
                return new IoScanSpec(text(parser, entry, "host"), context.readTreeAsValue(entry, IoScan.Parameters.class));
            case "kernel":
                return new KernelBuildSpec(text(parser, entry, "host"),
                        context.readTreeAsValue(entry, KernelBuild.Parameters.class));
            case "kvm-unit-tests":
                return new KvmUnitTestsSpec(text(parser, entry, "host"),
                        context.readTreeAsValue(entry, KvmUnitTests.Parameters.class));
            case "net":
                return new NetworkSpec(text(parser, entry, "server"), text(parser, entry, "client"),
                        context.readTreeAsValue(entry, NetworkThroughput.Parameters.class));
            case "stability":
                return new StabilitySpec(texts(parser, entry, "hosts"),
                        context.readTreeAsValue(entry, StabilityRun.Parameters.class));
            default:
                throw InvalidTypeIdException.from(parser, "unknown benchmark type '" + type + "'; known types: "
                        + String.join(", ", BenchmarkSpec.TYPES),
                        context.constructType(BenchmarkSpec.class), type);
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
