package io.github.nestedvirt.jenkinsfile;

import groovy.lang.Closure;
import groovy.lang.Script;
import io.github.nestedvirt.steps.StepCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The base class the Jenkinsfile runs on in tests: the Pipeline steps it uses, simulated, since no
 * Jenkins runs here. Each call is recorded in order ({@link #calls()}); every {@code nested*} call is
 * bound by the engine's {@link StepCatalog}, so a misspelled or misplaced parameter fails as it
 * would on the agent. {@code nestedTopology} provisions, runs its body with {@code NVMX_TOPOLOGY}
 * set, and tears down whatever the body did, as the plugin's block step does.
 */
public abstract class SimulatedPipelineScript extends Script {

    /** The agents labelled {@code nested-l0}; set per test. */
    static final String L0_AGENTS = "l0Agents";
    /** A step name whose next call fails, to see what runs after a failure; set per test. */
    static final String FAILING_STEP = "failingStep";
    /** The checkout the steps run in. */
    static final String WORKSPACE = "workspace";

    private static final Set<String> NESTED_STEPS = Set.copyOf(StepCatalog.stepNames());

    @SuppressWarnings("unchecked")
    List<String> calls() {
        if (!getBinding().hasVariable("calls")) {
            getBinding().setVariable("calls", new ArrayList<String>());
        }
        return (List<String>) getBinding().getVariable("calls");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> env() {
        return (Map<String, Object>) getBinding().getVariable("env");
    }

    public Object stage(String name, Closure<?> body) {
        calls().add("stage " + name);
        return body.call();
    }

    public Object node(String label, Closure<?> body) {
        calls().add("node " + label);
        Object previous = env().put("NODE_NAME", label.equals("nested-l0") ? agents().get(0) : label);
        try {
            return body.call();
        } finally {
            env().put("NODE_NAME", previous);
        }
    }

    /** Branches one after the other, in the order given: enough to see what each one does. */
    public Object parallel(Map<String, Closure<?>> branches) {
        calls().add("parallel " + String.join(" | ", branches.keySet()));
        branches.forEach((name, branch) -> {
            calls().add("branch " + name);
            branch.call();
        });
        return null;
    }

    public Object lock(Map<String, Object> arguments, Closure<?> body) {
        calls().add("lock " + arguments.get("resource"));
        try {
            return body.call();
        } finally {
            calls().add("unlock " + arguments.get("resource"));
        }
    }

    public Object sh(String script) {
        calls().add("sh " + script);
        return null;
    }

    public Object echo(String message) {
        calls().add("echo " + message);
        return null;
    }

    public Object checkout(Object scm) {
        calls().add("checkout");
        return null;
    }

    public Object junit(Object testResults) {
        calls().add("junit " + testResults);
        return null;
    }

    public List<String> nodesByLabel(String label) {
        calls().add("nodesByLabel " + label);
        return agents();
    }

    private java.nio.file.Path workspace() {
        return (java.nio.file.Path) getBinding().getVariable(WORKSPACE);
    }

    @SuppressWarnings("unchecked")
    private List<String> agents() {
        return (List<String>) getBinding().getVariable(L0_AGENTS);
    }

    @Override
    public Object invokeMethod(String name, Object args) {
        if (!NESTED_STEPS.contains(name)) {
            return super.invokeMethod(name, args);
        }
        Object[] values = (Object[]) args;
        Map<String, Object> arguments = values.length > 0 && values[0] instanceof Map<?, ?> map
                ? stringKeys(map) : new LinkedHashMap<>();
        Closure<?> body = values.length > 0 && values[values.length - 1] instanceof Closure<?> c ? c : null;
        return step(name, arguments, body);
    }

    private Object step(String name, Map<String, Object> arguments, Closure<?> body) {
        Object topology = env().get("NVMX_TOPOLOGY");
        if (topology != null && !arguments.containsKey("topology") && takes(name, "topology")) {
            arguments.put("topology", topology); // what the block step hands to the steps of its body
        }
        calls().add(name + " " + new java.util.TreeMap<>(arguments));
        bind(name, arguments, workspace());
        if (name.equals(getBinding().getVariables().get(FAILING_STEP))) {
            throw new IllegalStateException(name + " failed (simulated)");
        }
        if (name.equals("nestedTopology")) {
            String runDir = "/workspace/.nvmx/topology-" + calls().size();
            env().put("NVMX_TOPOLOGY", runDir);
            try {
                return body.call();
            } finally {
                env().remove("NVMX_TOPOLOGY");
                calls().add("nestedTopology teardown " + runDir);
            }
        }
        // as the plugin does: the JUnit XML copied into the workspace, its path relative to it
        return name.equals("nestedKvmUnitTests")
                ? "nested-virt-junit/" + arguments.getOrDefault("resultsId", name) + ".xml" : null;
    }

    /** The engine's binding: the step runs in the agent's workspace, the checkout of this repository. */
    private static void bind(String name, Map<String, Object> arguments, java.nio.file.Path workspace) {
        StepCatalog.bindStep(name, arguments, workspace);
    }

    private static boolean takes(String step, String parameter) {
        return StepCatalog.parameters(step).stream().anyMatch(p -> p.name().equals(parameter));
    }

    /** Groovy strings ("kernel-${id}") become plain strings, as Jenkins passes them to a step. */
    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((key, value) -> result.put(key.toString(), plain(value)));
        return result;
    }

    private static Object plain(Object value) {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SimulatedPipelineScript::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            return stringKeys(map);
        }
        return value;
    }
}
