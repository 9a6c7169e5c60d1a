package io.github.nestedvirt.steps;

/**
 * One parameter of a Pipeline step, as the Snippet Generator and the step's help show it.
 *
 * @param name the key in the step call, e.g. {@code runs}
 * @param type {@code string}, {@code integer}, {@code boolean}, {@code number}, {@code list of string},
 *     {@code object}, {@code list of object}, or the allowed values as {@code L0|L1|L2}
 * @param required whether the step fails without it
 * @param help one sentence: what it is and its default
 */
public record StepParameter(String name, String type, boolean required, String help) {

    // Jelly views read properties through bean getters only (commons-jexl never calls a record's
    // accessors), so the forms that list these parameters need them.

    public String getName() {
        return name;
    }

    public String getType() {
        return type;
    }

    public boolean isRequired() {
        return required;
    }

    public String getHelp() {
        return help;
    }
}
