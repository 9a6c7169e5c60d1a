package io.github.nestedvirt.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads recorded tool outputs from the test resources, next to the test class that uses them. */
public final class TestOutputs {

    private TestOutputs() {
    }

    /** The resource {@code name} relative to {@code owner}'s package, as UTF-8 text, byte for byte (CR kept). */
    public static String read(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test output " + name + " next to " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
