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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads YAML (or JSON) into records strictly, for plans and topologies alike: an unknown or
 * misspelled key, a wrong type, a duplicate key or a value its record refuses is a
 * {@link PlanException} naming the file, line, column and key path, so a typo never silently
 * falls back to a default.
 */
public final class StrictYaml {

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictYaml() {
    }

    /**
     * Reads {@code yaml} as a {@code type}.
     *
     * @param source the file name to put in messages
     * @throws PlanException naming {@code source:line:column: key.path: problem}, also for an empty text
     */
    public static <T> T read(String yaml, String source, Class<T> type) throws PlanException {
        T value;
        try {
            value = MAPPER.readValue(yaml, type);
        } catch (JsonProcessingException e) {
            throw new PlanException(describe(e, yaml, source), e);
        }
        if (value == null) {
            throw new PlanException(source + ": the file is empty");
        }
        return value;
    }

    /**
     * Builds a {@code type} from values assembled in code (a command line, a Jenkins step), with the
     * same checks and messages as a file, without line numbers.
     */
    public static <T> T fromMap(Map<String, ?> values, String source, Class<T> type) throws PlanException {
        try {
            return MAPPER.treeToValue(MAPPER.valueToTree(values), type);
        } catch (JsonProcessingException e) {
            throw new PlanException(describe(e, "", source), e);
        } catch (IllegalArgumentException e) {
            throw new PlanException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a key path stands in a text, for checks made after reading (references between
     * entries): {@code source:line:column}, or just {@code source} when the path is not found.
     *
     * @param path keys (String) and sequence indexes (Integer), e.g. {@code l1, 0, l2, 1, memory}
     */
    public static String where(String yaml, String source, List<Object> path) {
        return YamlPositions.lineAndColumn(yaml, path).map(at -> source + ":" + at).orElse(source);
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
        if (e instanceof InvalidTypeIdException) {
            return where + ": " + field + e.getOriginalMessage();
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

    /** The key path, e.g. {@code benchmarks[2].runs}. */
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
}
