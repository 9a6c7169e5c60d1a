package io.github.nestedvirt.topology;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's host name, as owner tags and topology records write it. */
public final class LocalHostName {

    private LocalHostName() {
    }

    public static String get() {
        // The kernel's own name needs no DNS; a lookup can hang on a machine without a resolver.
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException notLinux) {
            // fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
