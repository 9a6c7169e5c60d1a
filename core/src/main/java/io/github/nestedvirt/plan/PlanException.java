package io.github.nestedvirt.plan;

/** A plan that cannot be run as written; the message names the file, the line and the key. */
public class PlanException extends Exception {

    public PlanException(String message) {
        super(message);
    }

    public PlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
