package io.github.nestedvirt.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The iperf3 processes of a test's own port, as {@code pgrep -af} lists them (pid, then command line). */
final class Iperf3Processes {

    private Iperf3Processes() {
    }

    static List<String> on(int port) throws Exception {
        Process pgrep = new ProcessBuilder("pgrep", "-af", "iperf3 .*-p " + port).start();
        String out = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        pgrep.waitFor();
        return out.lines().filter(line -> !line.contains("pgrep")).toList();
    }
}
