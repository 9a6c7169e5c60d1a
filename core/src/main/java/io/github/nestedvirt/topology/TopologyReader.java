package io.github.nestedvirt.topology;

import io.github.nestedvirt.plan.PlanException;
import io.github.nestedvirt.plan.StrictYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a topology from YAML (or JSON) strictly, as plans are read, applies the seed's defaults
 * and validates the result once: every problem is reported with its file, line and field path,
 * e.g. {@code lab.yaml:12:7: l1[0].l2[1].memory: 3G is more than its L1 has (2G)}.
 */
public final class TopologyReader {

    public Topology read(Path file) throws PlanException {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new PlanException(file + ": cannot read the topology: " + e, e);
        }
        return read(yaml, file.toString());
    }

    /**
     * Reads a topology from text.
     *
     * @param source the file name to put in messages
     */
    public Topology read(String yaml, String source) throws PlanException {
        Topology topology = StrictYaml.read(yaml, source, Topology.class);
        check(topology, path -> StrictYaml.where(yaml, source, path));
        return topology;
    }

    /** Builds a topology from values assembled in code, with the same checks and messages (no lines). */
    public Topology fromMap(Map<String, ?> values, String source) throws PlanException {
        Topology topology = StrictYaml.fromMap(values, source, Topology.class);
        check(topology, path -> source);
        return topology;
    }

    private static void check(Topology topology, TopologyValidator.Locator locator) throws PlanException {
        List<String> problems = new TopologyValidator(locator).problems(topology);
        if (!problems.isEmpty()) {
            throw new PlanException(String.join("\n", problems));
        }
    }
}
