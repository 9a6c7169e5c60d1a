package io.github.nestedvirt.rundir;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the engine is asked to do, as {@code spec.json}: a step name of the catalog and its
 * arguments, e.g. {@code {"step":"nestedKernelBuild","arguments":{"source":"/usr/src/linux.tar.xz"}}}.
 *
 * @param step a name of {@code io.github.nestedvirt.steps.StepCatalog#stepNames()}
 * @param arguments the step's arguments as the Pipeline gave them
 */
public record StepRequest(String step, Map<String, Object> arguments) {

    public StepRequest {
        Objects.requireNonNull(step, "step");
        arguments = arguments == null ? Map.of() : new LinkedHashMap<>(arguments);
    }
}
