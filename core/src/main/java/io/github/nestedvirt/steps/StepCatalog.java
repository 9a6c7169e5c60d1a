package io.github.nestedvirt.steps;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.github.nestedvirt.bench.GuestfishLaunch;
import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.KernelBuild;
import io.github.nestedvirt.bench.KvmUnitTests;
import io.github.nestedvirt.bench.NetworkThroughput;
import io.github.nestedvirt.migration.MigrationBenchmark;
import io.github.nestedvirt.plan.PlanException;
import io.github.nestedvirt.plan.StrictYaml;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.stability.StabilityRun;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.TopologyReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Pipeline steps of the engine, their parameters and how their arguments become the engine's
 * own spec records. The parameters are read off those records (their {@code @JsonCreator} keys,
 * {@code required} flags and {@code @JsonPropertyDescription}s), and arguments are bound with the
 * same strict reading as plan files: the steps cannot drift from what the engine accepts.
 */
public final class StepCatalog {

    private static final ObjectMapper INTROSPECTION = new ObjectMapper();

    /** The target keys, by which steps take them. */
    private static final List<String> ALL_TARGET_KEYS = List.of("topology", "level", "guest", "resultsId");

    private static final Map<String, Step> STEPS = new LinkedHashMap<>();

    static {
        add(new Step("nestedPreflight", List.of("topology", "level", "guest"), List.of(PreflightParameters.class)));
        add(new Step("nestedProvision", List.of(), List.of(ProvisionParameters.class, Topology.class)));
        add(new Step("nestedTeardown", List.of("topology"), List.of()));
        add(new Step("nestedTopology", List.of(), List.of(ProvisionParameters.class, Topology.class)));
        add(new Step("nestedKernelBuild", ALL_TARGET_KEYS, List.of(KernelBuild.Parameters.class)));
        add(new Step("nestedGuestfish", ALL_TARGET_KEYS, List.of(GuestfishLaunch.Parameters.class)));
        add(new Step("nestedKvmUnitTests", ALL_TARGET_KEYS, List.of(KvmUnitTests.Parameters.class)));
        add(new Step("nestedIoBench", ALL_TARGET_KEYS, List.of(IoScan.Parameters.class)));
        add(new Step("nestedNetperf", ALL_TARGET_KEYS, List.of(NetworkThroughput.Parameters.class)));
        // always an L1 of the topology: no level
        add(new Step("nestedMigrate", List.of("topology", "guest", "resultsId"),
                List.of(MigrationBenchmark.Parameters.class)));
        add(new Step("nestedStress", ALL_TARGET_KEYS, List.of(StabilityRun.Parameters.class)));
    }

    private StepCatalog() {
    }

    private static void add(Step step) {
        STEPS.put(step.name(), step);
    }

    /** Every step, in the order of the test plan. */
    public static List<String> stepNames() {
        return List.copyOf(STEPS.keySet());
    }

    /** The step's parameters: its own spec's keys first, then the target keys it takes. */
    public static List<StepParameter> parameters(String step) {
        Step entry = step(step);
        List<StepParameter> parameters = new ArrayList<>();
        for (Class<?> source : entry.sources()) {
            for (StepParameter parameter : keysOf(source)) {
                // the topology's l1 is required unless a file gives the topology instead
                boolean required = parameter.required() && source != Topology.class;
                parameters.add(new StepParameter(parameter.name(), parameter.type(), required, parameter.help()));
            }
        }
        Map<String, StepParameter> targets = keysOf(StepTarget.class).stream()
                .collect(Collectors.toMap(StepParameter::name, p -> p));
        for (String key : entry.targetKeys()) {
            StepParameter target = targets.get(key);
            boolean required = step.equals("nestedTeardown")
                    || (step.equals("nestedStress") || step.equals("nestedMigrate")) && key.equals("topology");
            parameters.add(new StepParameter(key, target.type(), required, target.help()));
        }
        return parameters;
    }

    /**
     * The typed engine spec of a step call ({@link BoundStep}).
     *
     * @throws StepArgumentException naming the step, the parameter and what to do
     */
    public static Object bind(String step, Map<String, Object> arguments) {
        return bindStep(step, arguments, Path.of(""));
    }

    /** {@link #bind}, typed; relative paths (a topology {@code file}) resolve in the working directory. */
    public static BoundStep bindStep(String step, Map<String, Object> arguments) {
        return bindStep(step, arguments, Path.of(""));
    }

    /**
     * {@link #bind}, typed, with relative paths (a topology {@code file}) resolved in {@code workspace},
     * e.g. a build's workspace on the agent.
     */
    public static BoundStep bindStep(String step, Map<String, Object> arguments, Path workspace) {
        Step entry = step(step);
        Map<String, Object> given = arguments == null ? Map.of() : arguments;
        List<StepParameter> known = parameters(step);
        Set<String> names = known.stream().map(StepParameter::name).collect(Collectors.toSet());
        Map<String, Object> target = new LinkedHashMap<>();
        Map<String, Object> own = new LinkedHashMap<>();
        for (Map.Entry<String, Object> argument : given.entrySet()) {
            if (!names.contains(argument.getKey())) {
                throw new StepArgumentException(step, argument.getKey(), "unknown parameter; valid parameters: "
                        + known.stream().map(StepParameter::name).sorted().collect(Collectors.joining(", ")));
            }
            (entry.targetKeys().contains(argument.getKey()) ? target : own).put(argument.getKey(), argument.getValue());
        }
        for (StepParameter parameter : known) {
            if (parameter.required() && given.get(parameter.name()) == null) {
                throw new StepArgumentException(step, parameter.name(), "missing; " + parameter.help());
            }
        }
        StepTarget where = read(step, target, StepTarget.class);
        if (where.guest() != null && where.topology() == null) {
            throw new StepArgumentException(step, "guest", "needs 'topology', the run directory of the provisioned "
                    + "topology the guest belongs to (inside nestedTopology it is set for you)");
        }
        if (where.level() != null && where.level() != Level.L0 && where.topology() == null) {
            throw new StepArgumentException(step, "level", where.level() + " needs 'topology', the run directory of a "
                    + "provisioned topology (run the step inside nestedTopology, or give it)");
        }
        Object parameters = switch (step) {
            case "nestedTeardown" -> null;
            case "nestedProvision", "nestedTopology" -> provisionSpec(step, own, workspace);
            default -> read(step, own, entry.sources().get(0));
        };
        return new BoundStep(step, where, parameters);
    }

    private static ProvisionSpec provisionSpec(String step, Map<String, Object> own, Path workspace) {
        Map<String, Object> options = new LinkedHashMap<>();
        Map<String, Object> inline = new LinkedHashMap<>();
        Set<String> optionKeys = keysOf(ProvisionParameters.class).stream().map(StepParameter::name)
                .collect(Collectors.toSet());
        own.forEach((key, value) -> (optionKeys.contains(key) ? options : inline).put(key, value));
        ProvisionParameters parameters = read(step, options, ProvisionParameters.class);
        if (parameters.file() != null && !inline.isEmpty()) {
            throw new StepArgumentException(step, "file", "give the topology either as a file or inline ("
                    + String.join(", ", inline.keySet()) + "), not both");
        }
        if (parameters.file() == null && !inline.containsKey("l1")) {
            throw new StepArgumentException(step, "l1", "missing; give the L1 guests inline (l1: [[name: 'l1a', ...]]) "
                    + "or a topology file with 'file'");
        }
        Topology topology;
        if (parameters.file() != null) {
            try {
                Path file = Path.of(parameters.file());
                topology = new TopologyReader().read(file.isAbsolute() ? file : workspace.resolve(file));
            } catch (PlanException e) {
                // the reader names the file, line and key inside it
                throw new StepArgumentException(step, "file", e.getMessage(), e);
            }
        } else {
            try {
                topology = new TopologyReader().fromMap(inline, step);
            } catch (PlanException e) {
                throw failure(step, e);
            }
        }
        return new ProvisionSpec(topology, Duration.ofHours(parameters.expiresHours()), parameters.l1KvmIntel());
    }

    private static <T> T read(String step, Map<String, Object> values, Class<T> type) {
        try {
            return StrictYaml.fromMap(values, step, type);
        } catch (PlanException e) {
            throw failure(step, e);
        }
    }

    /** The reader's message already reads {@code step: path: problem}; keep it and name the parameter. */
    private static StepArgumentException failure(String step, PlanException e) {
        String parameter = "";
        if (e.getCause() instanceof JsonMappingException mapping) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            parameter = path.toString();
        }
        String message = e.getMessage().startsWith(step + ": ") ? e.getMessage().substring(step.length() + 2)
                : e.getMessage();
        if (parameter == null || parameter.isEmpty()) {
            // a record's own check names its key first: "jobs: must be 0 or more"
            int colon = message.indexOf(':');
            parameter = colon > 0 && !message.substring(0, colon).contains(" ") ? message.substring(0, colon) : "";
            if (!parameter.isEmpty() && message.startsWith(parameter + ": ")) {
                message = message.substring(parameter.length() + 2);
            }
        } else {
            // the reader names the path (or, for an unknown key, its parent) first: said once is enough
            int colon = message.indexOf(": ");
            if (colon > 0 && parameter.startsWith(message.substring(0, colon))) {
                message = message.substring(colon + 2);
            }
        }
        return new StepArgumentException(step, parameter, message, e);
    }

    private static Step step(String name) {
        Step step = STEPS.get(name);
        if (step == null) {
            throw new StepArgumentException(String.valueOf(name), "", "no such step; the steps are: "
                    + String.join(", ", STEPS.keySet()));
        }
        return step;
    }

    /** The keys of a spec record's {@code @JsonCreator}, in its order. */
    static List<StepParameter> keysOf(Class<?> type) {
        BeanDescription description = INTROSPECTION.getDeserializationConfig().introspect(INTROSPECTION.constructType(type));
        return description.findProperties().stream().filter(BeanPropertyDefinition::hasConstructorParameter)
                .sorted(Comparator.comparingInt(p -> p.getConstructorParameter().getIndex()))
                .map(p -> new StepParameter(p.getName(), typeName(p.getConstructorParameter().getType()),
                        p.getMetadata().isRequired(),
                        p.getMetadata().getDescription() == null ? "" : p.getMetadata().getDescription()))
                .toList();
    }

    private static String typeName(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            return "string";
        }
        if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            return "integer";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return "boolean";
        }
        if (raw == Double.class || raw == double.class) {
            return "number";
        }
        if (raw.isEnum()) {
            return Arrays.stream(raw.getEnumConstants()).map(Object::toString).collect(Collectors.joining("|"));
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return "list of " + typeName(type.getContentType());
        }
        return "object";
    }

    /**
     * @param targetKeys which of the target keys the step takes
     * @param sources the spec records whose keys the step takes
     */
    private record Step(String name, List<String> targetKeys, List<Class<?>> sources) {
    }
}
