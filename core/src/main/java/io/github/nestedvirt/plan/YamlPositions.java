package io.github.nestedvirt.plan;

import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Finds where a key path (e.g. {@code benchmarks, 2, runs}) stands in a YAML text. */
final class YamlPositions {

    private YamlPositions() {
    }

    /**
     * The 1-based {@code line:column} of the deepest node of {@code path} found in {@code yaml}:
     * the key itself for a mapping entry, the item for a sequence index.
     */
    static Optional<String> lineAndColumn(String yaml, List<Object> path) {
        Node node;
        try {
            node = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new java.io.StringReader(yaml));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Node found = null;
        for (Object step : path) {
            Node next = null;
            Node key = null;
            if (node instanceof MappingNode mapping && step instanceof String name) {
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(name)) {
                        key = tuple.getKeyNode();
                        next = tuple.getValueNode();
                    }
                }
            } else if (node instanceof SequenceNode sequence && step instanceof Integer index
                    && index >= 0 && index < sequence.getValue().size()) {
                next = sequence.getValue().get(index);
            }
            if (next == null) {
                break;
            }
            found = key != null ? key : next;
            node = next;
        }
        if (found == null) {
            return Optional.empty();
        }
        return Optional.of((found.getStartMark().getLine() + 1) + ":" + (found.getStartMark().getColumn() + 1));
    }
}
