package io.github.nestedvirt.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a plan from YAML (or JSON) strictly: an unknown or misspelled key, a wrong type or a
 * missing value is a {@link PlanException} naming the file, the line and the key path, so a typo
 * never silently falls back to a default.
 */
public final class PlanReader {

    private final YAMLMapper mapper = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();


    public Plan read(Path file) throws PlanException {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new PlanException(file + ": cannot read the plan: " + e, e);
        }
        return read(yaml, file.toString());
    }

    /**
     * Reads a plan from text.
     *
     * @param source the file name to put in messages
     */
    public Plan read(String yaml, String source) throws PlanException {
        Plan plan;
        try {
            plan = mapper.readValue(yaml, Plan.class);
        } catch (JsonProcessingException e) {
            throw new PlanException(describe(e, yaml, source), e);
        }
        if (plan == null) {
            throw new PlanException(source + ": the plan is empty");
        }
        validateReferences(plan, source);
        return plan;
    }

    /**
     * Builds a plan from values assembled in code (the command line, a Jenkins step), with the same
     * validation and messages as a file.
     *
     * @param source what to name in messages, e.g. {@code command line}
     */
    public Plan fromMap(Map<String, ?> values, String source) throws PlanException {
        Plan plan;
        try {
            plan = mapper.treeToValue(mapper.valueToTree(values), Plan.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PlanException(e instanceof JsonProcessingException json ? describe(json, "", source)
                    : source + ": " + e.getMessage(), e);
        }
        validateReferences(plan, source);
        return plan;
    }

    private static String describe(JsonProcessingException e, String yaml, String source) {
        JsonLocation location = e.getLocation();
        String where = source + (!yaml.isEmpty() && location != null && location.getLineNr() > 0
                ? ":" + location.getLineNr() + ":" + location.getColumnNr() : "");
        if (e instanceof JsonMappingException mapping) {
            // Jackson replays buffered tokens for polymorphic entries and loses their position;
            // the YAML node at the key path has it.
            List<Object> keys = new ArrayList<>();
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                keys.add(reference.getFieldName() != null ? reference.getFieldName() : reference.getIndex());
            }
            if (e instanceof UnrecognizedPropertyException unknown) {
                keys.add(unknown.getPropertyName());
            }
            where = YamlPositions.lineAndColumn(yaml, keys).map(at -> source + ":" + at).orElse(where);
        }
        String path = e instanceof JsonMappingException mapping ? path(mapping) : "";
        String field = path.isEmpty() ? "" : path + ": ";
        if (e instanceof UnrecognizedPropertyException unknown) {
            String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) + ": " : "";
            return where + ": " + parent + "unknown key '" + unknown.getPropertyName() + "'; known keys: "
                    + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidTypeIdException badType) {
            return where + ": " + field + "unknown benchmark type '" + badType.getTypeId() + "'; known types: "
                    + String.join(", ", BenchmarkSpec.TYPES);
        }
        if (e instanceof InvalidFormatException badValue) {
            String allowed = badValue.getTargetType() != null && badValue.getTargetType().isEnum()
                    ? "; allowed: " + Arrays.toString(badValue.getTargetType().getEnumConstants()) : "";
            return where + ": " + field + "'" + badValue.getValue() + "' is not a valid "
                    + badValue.getTargetType().getSimpleName() + allowed;
        }
        if (e instanceof ValueInstantiationException invalid && invalid.getCause() != null) {
            return where + ": " + field + invalid.getCause().getMessage();
        }
        return where + ": " + field + e.getOriginalMessage();
    }

    /** The key path in the plan, e.g. {@code benchmarks[2].runs}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Every host a benchmark names, and every jump host, must exist; jumps must not loop. */
    private static void validateReferences(Plan plan, String source) throws PlanException {
        if (plan.hosts().isEmpty()) {
            throw new PlanException(source + ": hosts: the plan names no host");
        }
        for (Map.Entry<String, HostSpec> host : plan.hosts().entrySet()) {
            Set<String> seen = new HashSet<>();
            String current = host.getKey();
            while (current != null) {
                if (!seen.add(current)) {
                    throw new PlanException(source + ": hosts." + host.getKey() + ".ssh.via: the jump chain loops through '"
                            + current + "'");
                }
                HostSpec spec = plan.hosts().get(current);
                if (spec == null) {
                    throw new PlanException(source + ": hosts." + host.getKey() + ".ssh.via: no host '" + current
                            + "' in this plan; known hosts: " + String.join(", ", plan.hosts().keySet()));
                }
                current = spec.ssh() == null ? null : spec.ssh().via();
            }
        }
        for (int i = 0; i < plan.benchmarks().size(); i++) {
            for (Map.Entry<String, String> reference : plan.benchmarks().get(i).hostReferences().entrySet()) {
                if (!plan.hosts().containsKey(reference.getValue())) {
                    throw new PlanException(source + ": benchmarks[" + i + "]." + reference.getKey() + ": no host '"
                            + reference.getValue() + "' in this plan; known hosts: "
                            + String.join(", ", plan.hosts().keySet()));
                }
            }
        }
    }
}
