package io.github.nestedvirt.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The kvm-unit-tests stand-in whose {@code configure}, {@code Makefile} and {@code run_tests.sh}
 * replay runner output we recorded (the suite is in no registry our machines reach): copied into
 * a directory as a suite's checkout would be, runnable.
 */
public final class RecordedKvmUnitTestsSuite {

    private static final String RESOURCE = "/io/github/nestedvirt/bench/kvm-unit-tests-recorded";

    private RecordedKvmUnitTestsSuite() {
    }

    /** Copies the suite to {@code target} (from the test classes, or from the test jar other modules use). */
    public static Path copyTo(Path target) throws IOException, URISyntaxException {
        URI uri = RecordedKvmUnitTestsSuite.class.getResource(RESOURCE).toURI();
        if (uri.getScheme().equals("jar")) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                copy(jar.getPath(RESOURCE), target);
            }
        } else {
            copy(Path.of(uri), target);
        }
        for (String script : List.of("configure", "run_tests.sh")) {
            Files.setPosixFilePermissions(target.resolve(script), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return target;
    }

    private static void copy(Path recorded, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(recorded)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(recorded.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
    }
}
