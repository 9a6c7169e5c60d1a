package io.jenkins.plugins.nestedvirt.steps;

import io.jenkins.plugins.nestedvirt.results.QualityGateSettings;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a user gave one engine operation, in a Pipeline step or a freestyle build step alike:
 * the engine's arguments as named values (checked by the engine when the operation starts) and
 * the plugin's own quality gate.
 */
public final class StepArguments implements Serializable {

    private static final long serialVersionUID = 1L;

    private final TreeMap<String, Object> values;
    private final QualityGateSettings qualityGate;

    public StepArguments(Map<String, ?> values, QualityGateSettings qualityGate) {
        this.values = EngineArguments.plain(values);
        this.qualityGate = qualityGate;
    }

    /** No arguments and no gate: every parameter at the engine's default. */
    public static StepArguments none() {
        return new StepArguments(Map.of(), null);
    }

    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    /** A copy of the values, to add to or hand to the engine. */
    public TreeMap<String, Object> copy() {
        return new TreeMap<>(values);
    }

    /** The value of one argument as the text of its form field, or empty when not given. */
    public String text(String name) {
        return FormArguments.text(values.get(name));
    }

    /** The quality gate, or null for none. */
    public QualityGateSettings qualityGate() {
        return qualityGate;
    }
}
