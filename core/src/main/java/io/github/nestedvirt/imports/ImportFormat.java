package io.github.nestedvirt.imports;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The tool outputs {@code nvmx import} reads, by the name given on the command line. */
public enum ImportFormat {
    /** kvm-unit-tests {@code run_tests.sh} output, a test's own log, or TAP ({@code -t}). */
    KVM_UNIT_TESTS("kvm-unit-tests"),
    /** {@code time COMMAND} in bash, {@code time -p}, or GNU {@code /usr/bin/time [-v]}: one or more runs. */
    TIME("time"),
    /** A loop of {@code time guestfish -a /dev/null run}: the first run is a warm-up (cold appliance cache). */
    GUESTFISH_LOOP("guestfish-loop"),
    /** {@code kvm_stat -1}, {@code -l} or {@code -l -c}, or its interactive screen pasted as text. */
    KVM_STAT("kvm-stat"),
    /** netperf classic output (with or without banner) or omni {@code -k} key=value output. */
    NETPERF("netperf"),
    /** {@code iperf3 --json} client output. */
    IPERF3("iperf3");

    private final String cliName;

    ImportFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line, e.g. {@code kvm-unit-tests}. */
    public String cliName() {
        return cliName;
    }

    /**
     * The format named {@code name}.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static ImportFormat of(String name) {
        for (ImportFormat format : values()) {
            if (format.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("FORMAT: unknown format '" + name + "'; known formats: " + names());
    }

    /** Every name, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(ImportFormat::cliName).collect(Collectors.joining(", "));
    }
}
