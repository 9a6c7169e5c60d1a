package io.jenkins.plugins.nestedvirt.steps;

import hudson.model.Descriptor.FormException;
import hudson.util.FormValidation;
import io.github.nestedvirt.steps.StepCatalog;
import io.github.nestedvirt.steps.StepParameter;
import io.jenkins.plugins.nestedvirt.results.QualityGateSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Function;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Engine arguments typed into a form (the Snippet Generator, a freestyle job): one text field
 * per parameter of the engine's catalog. An empty field means "the engine's default".
 */
public final class FormArguments {

    private FormArguments() {
    }

    /** An argument as the text of its form field: lists as comma-separated items. */
    public static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(String::valueOf).toList());
        }
        return value.toString();
    }

    /** The parameter names joined by commas: the fields a "Check parameters" button sends. */
    public static String names(List<StepParameter> parameters) {
        return String.join(",", parameters.stream().map(StepParameter::name).toList());
    }

    /** The non-empty fields of {@code form}, typed after the parameter's declared type. */
    public static TreeMap<String, Object> fromForm(List<StepParameter> parameters, JSONObject form) {
        return collect(parameters, name -> form.has(name) ? form.getString(name) : null);
    }

    /** The quality gate of {@code form}, or null when its box is not ticked. */
    public static QualityGateSettings qualityGate(StaplerRequest2 request, JSONObject form) throws FormException {
        Object gate = form.opt(EngineStepDescriptor.QUALITY_GATE);
        if (!(gate instanceof JSONObject settings) || settings.isNullObject()) {
            return null;
        }
        if (request == null) {
            throw new FormException("a quality gate can only be configured from a web form",
                    EngineStepDescriptor.QUALITY_GATE);
        }
        return request.bindJSON(QualityGateSettings.class, settings);
    }

    /** The engine's verdict on the values of the request's fields. */
    public static FormValidation check(String step, List<StepParameter> parameters, StaplerRequest2 request) {
        try {
            StepCatalog.bind(step, collect(parameters, request::getParameter));
            return FormValidation.ok("The engine accepts these parameters.");
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    private static TreeMap<String, Object> collect(List<StepParameter> parameters, Function<String, String> field) {
        TreeMap<String, Object> arguments = new TreeMap<>();
        for (StepParameter parameter : parameters) {
            String text = field.apply(parameter.name());
            if (text != null && !text.isBlank()) {
                arguments.put(parameter.name(), typed(parameter.type(), text.trim()));
            }
        }
        return arguments;
    }

    /**
     * A form holds text; numbers, booleans and lists are converted after the parameter's
     * declared type. Text that does not convert is passed on as it is, and the engine's check
     * names the field and what it expected.
     */
    static Object typed(String type, String text) {
        String kind = type == null ? "" : type.toLowerCase(Locale.ROOT);
        try {
            if (kind.contains("list") || kind.endsWith("[]")) {
                List<String> items = new ArrayList<>();
                for (String item : text.split(",")) {
                    if (!item.isBlank()) {
                        items.add(item.trim());
                    }
                }
                return items;
            }
            if (kind.contains("bool")) {
                return Boolean.parseBoolean(text);
            }
            if (kind.contains("int") || kind.contains("long")) {
                return Long.parseLong(text);
            }
            if (kind.contains("double") || kind.contains("float") || kind.contains("number")) {
                return Double.parseDouble(text);
            }
        } catch (NumberFormatException e) {
            return text;
        }
        return text;
    }
}
