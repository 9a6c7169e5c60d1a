package io.github.nestedvirt.host;

/** Receives output lines while a command runs (progress, logs); called from reader threads. */
@FunctionalInterface
public interface OutputListener {

    OutputListener NONE = (stream, line) -> { };

    enum Stream { STDOUT, STDERR }

    void line(Stream stream, String line);
}
