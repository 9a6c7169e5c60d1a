package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the engine may install in an L1 for its L2 guests.
 *
 * @param install install qemu and libvirt with the L1's package manager when they are missing, and
 *     start libvirtd; when false, an L1 without them is refused, naming what to install
 */
public record Packages(boolean install) {

    @JsonCreator
    static Packages fromYaml(@JsonProperty("install") Boolean install) {
        return new Packages(Boolean.TRUE.equals(install));
    }

    /** Nothing is installed: the L1's image brings qemu and libvirt. */
    public static Packages none() {
        return new Packages(false);
    }
}
