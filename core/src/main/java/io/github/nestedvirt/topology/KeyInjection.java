package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How the guest gets the SSH public key: a cloud-init NoCloud seed image attached as a CD-ROM,
 * or an image that already holds it.
 */
public enum KeyInjection {
    CLOUD_INIT("cloud-init"), IMAGE("image");

    private final String text;

    KeyInjection(String text) {
        this.text = text;
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }
}
