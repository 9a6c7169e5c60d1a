package io.github.nestedvirt.topology;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Validates a document against libvirt's own schemas with the real {@code virt-xml-validate}. */
final class LibvirtSchema {

    private static final Path VALIDATOR = Path.of("/usr/bin/virt-xml-validate");

    private LibvirtSchema() {
    }

    /** What virt-xml-validate said: its exit code and output. */
    record Verdict(int exitCode, String output) {
        boolean valid() {
            return exitCode == 0;
        }
    }

    /** @param kind {@code domain}, {@code storagevol} or {@code network} */
    static Verdict validate(String xml, String kind, Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(VALIDATOR),
                "virt-xml-validate is not installed (Debian packages libvirt-clients and libxml2-utils;"
                        + " scripts/install-deps.sh installs them)");
        Path file = Files.createTempFile(dir, kind, ".xml");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(VALIDATOR.toString(), file.toString(), kind).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("virt-xml-validate did not finish in 60 s");
        }
        return new Verdict(process.exitValue(), output);
    }
}
