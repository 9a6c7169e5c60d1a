package io.github.nestedvirt.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the upstream kvm-unit-tests tarball is on this machine, if anywhere: test data that is never
 * part of this repository. {@code scripts/test.sh} passes it as the system property
 * {@value #PROPERTY}; without the property, {@code shared/testdata/kvm-unit-tests-*.tar.gz} beside
 * the clone (the folder our machines keep test data in) is looked at.
 */
public final class UpstreamKvmUnitTestsSuite {

    public static final String PROPERTY = "nvmx.test.kvmUnitTestsTarball";

    private UpstreamKvmUnitTestsSuite() {
    }

    /** The tarball, or empty when neither the property nor the shared test data names one. */
    public static Optional<Path> tarball() throws IOException {
        String given = System.getProperty(PROPERTY, "");
        if (!given.isBlank()) {
            Path tarball = Path.of(given).toAbsolutePath();
            if (!Files.isRegularFile(tarball)) {
                throw new IOException(PROPERTY + "=" + given + ": no such file; name the kvm-unit-tests tarball or"
                        + " leave the property out");
            }
            return Optional.of(tarball);
        }
        Path testData = lookedAt();
        if (!Files.isDirectory(testData)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(testData, "kvm-unit-tests-*.tar.gz")) {
            for (Path tarball : found) {
                return Optional.of(tarball);
            }
        }
        return Optional.empty();
    }

    /** The tarball; a test that needs it and finds none says where it looked (CI has it: scripts/test.sh). */
    public static Path required() throws IOException {
        Optional<Path> tarball = tarball();
        org.junit.jupiter.api.Assumptions.assumeTrue(tarball.isPresent(), "no kvm-unit-tests tarball in "
                + lookedAt() + " and no -D" + PROPERTY + ": scripts/test.sh passes it where it exists");
        return tarball.get();
    }

    /** The shared test data folder beside the clone this test runs in (found by its {@code .ci/run}). */
    public static Path lookedAt() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path at = dir; at != null; at = at.getParent()) {
            if (Files.isRegularFile(at.resolve(".ci/run"))) {
                return at.resolveSibling("shared").resolve("testdata");
            }
        }
        return dir.resolveSibling("shared").resolve("testdata");
    }
}
