package io.jenkins.plugins.nestedvirt.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nestedvirt.result.ResultJson;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table of the build page. The engine's page model decides what there is to show (its
 * getters: measurements, ratios, VMCS and MMU comparisons, kvm_stat exits, kvm-unit-tests);
 * the page turns each list of rows into a table and the plain values into one more, so that it
 * shows everything the model holds without a second list of names here.
 *
 * @param title the model's property name in words, e.g. "Level ratios" for {@code levelRatios}
 * @param columns the row properties, in the engine's order
 * @param rows the cells as text, one list per row
 */
public record PageTable(String title, List<String> columns, List<List<String>> rows) {

    // index.jelly reads these: Jelly (commons-jexl) finds bean getters, never a record's accessors.

    public String getTitle() {
        return title;
    }

    public List<String> getColumns() {
        return columns;
    }

    public List<List<String>> getRows() {
        return rows;
    }

    /** The tables of {@code model}: one per list property, then one of its single values. */
    public static List<PageTable> of(Object model) {
        JsonNode tree = ResultJson.mapper().valueToTree(model);
        List<PageTable> tables = new ArrayList<>();
        List<List<String>> values = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : tree.properties()) {
            JsonNode value = property.getValue();
            if (value.isArray()) {
                if (!value.isEmpty()) {
                    tables.add(table(words(property.getKey()), value));
                }
            } else if (!value.isNull()) {
                values.add(List.of(words(property.getKey()), text(value)));
            }
        }
        if (!values.isEmpty()) {
            tables.add(new PageTable("Overview", List.of("", ""), values));
        }
        return tables;
    }

    private static PageTable table(String title, JsonNode rows) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(row -> row.fieldNames().forEachRemaining(columns::add));
        if (columns.isEmpty()) {
            List<List<String>> single = new ArrayList<>();
            rows.forEach(row -> single.add(List.of(text(row))));
            return new PageTable(title, List.of(""), single);
        }
        List<List<String>> cells = new ArrayList<>();
        for (JsonNode row : rows) {
            List<String> line = new ArrayList<>();
            columns.forEach(column -> line.add(row.has(column) ? text(row.get(column)) : ""));
            cells.add(line);
        }
        return new PageTable(title, List.copyOf(columns), cells);
    }

    private static String text(JsonNode value) {
        if (value.isNull()) {
            return "";
        }
        if (value.isFloatingPointNumber()) {
            return String.format(java.util.Locale.ROOT, "%.4g", value.doubleValue());
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** {@code levelRatios} becomes "Level ratios". */
    static String words(String property) {
        String spaced = property.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        return spaced.isEmpty() ? spaced : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
