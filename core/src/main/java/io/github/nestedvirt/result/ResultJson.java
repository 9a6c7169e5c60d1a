package io.github.nestedvirt.result;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The JSON form of results: one configured {@link ObjectMapper} for the whole project.
 *
 * <p>Instants are written as ISO-8601 text ({@code 2025-01-31T12:00:00Z}), not as numbers, so a
 * result file stays readable by people and by other tools. Unknown properties are ignored when
 * reading, so a result written by a newer minor version (one more field) still loads; a result whose
 * {@code schemaVersion} is greater than {@link Run#SCHEMA_VERSION} is refused instead, because its
 * fields may no longer mean what this version thinks.
 */
public final class ResultJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ResultJson() {
    }

    /** The project's mapper. Thread-safe; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The run as pretty-printed UTF-8 JSON. */
    public static byte[] write(Run run) throws IOException {
        return MAPPER.writeValueAsBytes(run);
    }

    /** The same, streamed to {@code out}, which stays open: a large run is never held in memory as bytes. */
    public static void write(Run run, java.io.OutputStream out) throws IOException {
        MAPPER.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValue(out, run);
    }

    /**
     * Reads a run from JSON.
     *
     * @param source where the JSON came from (a file name), for error messages
     * @throws NewerSchemaException if the run was written by a newer, incompatible version
     * @throws IOException if the content is not a run in JSON
     */
    public static Run readRun(byte[] json, String source) throws IOException {
        JsonNode tree = MAPPER.readTree(json);
        if (tree == null || tree.isMissingNode()) {
            throw new IOException(source + ": empty, expected a run in JSON");
        }
        if (!tree.isObject()) {
            throw new IOException(source + ": expected a JSON object holding a run, found " + tree.getNodeType());
        }
        JsonNode version = tree.get("schemaVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new IOException(source + ": schemaVersion missing or not a number: not a nested-virt result");
        }
        if (version.asInt() > Run.SCHEMA_VERSION) {
            throw new NewerSchemaException(source + ": schemaVersion " + version.asInt()
                    + " is newer than this version understands (" + Run.SCHEMA_VERSION
                    + "); read it with a newer nvmx");
        }
        return MAPPER.treeToValue(tree, Run.class);
    }

    /** A result written by a newer, incompatible version of the software. */
    public static final class NewerSchemaException extends IOException {
        private static final long serialVersionUID = 1L;

        public NewerSchemaException(String message) {
            super(message);
        }
    }
}
