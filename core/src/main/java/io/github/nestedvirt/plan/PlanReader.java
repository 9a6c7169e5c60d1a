package io.github.nestedvirt.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a plan from YAML (or JSON) strictly: an unknown or misspelled key, a wrong type or a
 * missing value is a {@link PlanException} naming the file, the line and the key path, so a typo
 * never silently falls back to a default.
 */
public final class PlanReader {

    public Plan read(Path file) throws PlanException {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new PlanException(file + ": cannot read the plan: " + e, e);
        }
        return read(yaml, file.toString()).withTopologyIn(file.toAbsolutePath().getParent());
    }

    /**
     * Reads a plan from text.
     *
     * @param source the file name to put in messages
     */
    public Plan read(String yaml, String source) throws PlanException {
        Plan plan = StrictYaml.read(yaml, source, Plan.class);
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
        Plan plan = StrictYaml.fromMap(values, source, Plan.class);
        validateReferences(plan, source);
        return plan;
    }

    /** Every host a benchmark names, and every jump host, must exist; jumps must not loop. */
    private static void validateReferences(Plan plan, String source) throws PlanException {
        if (plan.hosts().isEmpty()) {
            throw new PlanException(source + ": hosts: the plan names no host");
        }
        for (Map.Entry<String, HostSpec> host : plan.hosts().entrySet()) {
            if (host.getValue().guest() != null && plan.topology() == null) {
                throw new PlanException(source + ": hosts." + host.getKey() + ".guest: the plan has no 'topology' "
                        + "to provision '" + host.getValue().guest() + "' from; add 'topology: FILE'");
            }
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
            if (plan.benchmarks().get(i) instanceof TogetherSpec together) {
                List<String> levels = together.hosts().stream().map(h -> h + " (" + plan.hosts().get(h).level() + ")")
                        .toList();
                if (together.hosts().stream().map(h -> plan.hosts().get(h).level()).distinct().count() > 1) {
                    throw new PlanException(source + ": benchmarks[" + i + "].together: its hosts are measured as one "
                            + "level, but they are at several: " + String.join(", ", levels)
                            + "; list hosts of one level (or make one entry per level)");
                }
            }
        }
    }
}
