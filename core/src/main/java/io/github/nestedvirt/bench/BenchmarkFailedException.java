package io.github.nestedvirt.bench;

import io.github.nestedvirt.host.HostException;

/** A benchmark ran on a host but could not produce a figure; the message says why and what the tool said. */
public class BenchmarkFailedException extends HostException {

    public BenchmarkFailedException(String hostName, String message) {
        super(hostName, message);
    }

    public BenchmarkFailedException(String hostName, String message, Throwable cause) {
        super(hostName, message, cause);
    }
}
