package io.jenkins.plugins.nestedvirt.steps;

import io.github.nestedvirt.steps.StepCatalog;
import io.github.nestedvirt.steps.StepParameter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine arguments of one step call, as plain serializable values: Groovy strings become
 * strings, lists and maps become Java ones. The engine's {@link StepCatalog} decides what is
 * valid; this class only carries the values.
 */
public final class EngineArguments {

    /** The environment variable naming the run directory of the topology a block provisioned. */
    public static final String TOPOLOGY_VARIABLE = "NVMX_TOPOLOGY";
    /** The common argument through which a step reaches the guests of a provisioned topology. */
    public static final String TOPOLOGY = "topology";
    /** The step whose run directory becomes the record of a topology: it is kept, not deleted. */
    public static final String PROVISION = "nestedProvision";
    /** The step that removes what a {@link #PROVISION} recorded. */
    public static final String TEARDOWN = "nestedTeardown";
    /** The common argument naming a step's result set. */
    public static final String RESULTS_ID = "resultsId";

    private EngineArguments() {
    }

    /** A copy of {@code arguments} holding only strings, numbers, booleans, lists and maps. */
    public static TreeMap<String, Object> plain(Map<String, ?> arguments) {
        TreeMap<String, Object> plain = new TreeMap<>();
        arguments.forEach((name, value) -> {
            if (value != null) {
                plain.put(name, plainValue(value));
            }
        });
        return plain;
    }

    private static Object plainValue(Object value) {
        if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v == null ? null : plainValue(v)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            ArrayList<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(v == null ? null : plainValue(v)));
            return copy;
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        // GString and anything else a script passes: its text is what the user meant.
        return value.toString();
    }

    /**
     * Inside a {@code nestedTopology} block, a step that takes {@code topology} and was not
     * given one reaches the block's guests.
     */
    public static TreeMap<String, Object> withTopologyFrom(String step, TreeMap<String, Object> arguments,
            String topologyDirectory) {
        if (topologyDirectory == null || topologyDirectory.isBlank() || arguments.containsKey(TOPOLOGY)
                || !accepts(step, TOPOLOGY)) {
            return arguments;
        }
        TreeMap<String, Object> with = new TreeMap<>(arguments);
        with.put(TOPOLOGY, topologyDirectory);
        return with;
    }

    /** True if the engine's spec of {@code step} has a parameter {@code name}. */
    public static boolean accepts(String step, String name) {
        return StepCatalog.parameters(step).stream().map(StepParameter::name).anyMatch(name::equals);
    }

    /** The result set id of a call: the {@code resultsId} argument, else the step name. */
    public static String resultsId(String step, Map<String, Object> arguments) {
        Object id = arguments.get(RESULTS_ID);
        return id == null || id.toString().isBlank() ? step : id.toString();
    }
}
