package io.github.nestedvirt.lifecycle;

import java.io.IOException;

/** A {@code topology.json} that cannot be read or written; the message names the file. */
public final class TopologyRecordException extends IOException {

    private static final long serialVersionUID = 1L;

    public TopologyRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    public TopologyRecordException(String message) {
        super(message);
    }
}
