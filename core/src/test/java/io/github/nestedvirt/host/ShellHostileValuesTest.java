package io.github.nestedvirt.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values full of shell syntax, quoted with {@link Shell}, reach the command unchanged and run
 * nothing, both on this machine and through a real SSH server (where the command line is
 * parsed by the server's shell once more).
 */
class ShellHostileValuesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path temp;

    private static SshTestBed bed;

    @BeforeAll
    static void startServers() throws Exception {
        bed = SshTestBed.start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    /** Each value would create the marker file if it were interpreted instead of quoted. */
    private static List<String> hostileValues(Path marker) {
        String touch = "touch " + marker;
        List<String> values = new ArrayList<>(List.of(
                "it's", "\"double\" quoted", "$(" + touch + ")", "`" + touch + "`", "; " + touch, "| " + touch,
                "&& " + touch, "x\n" + touch, "line one\nline two", "*", "?", "[a-z]*", "~", "-n", "--help", "-e \\n",
                "  spaced  out  ", "", "grüße 日本語 ✓", "$HOME", "${PATH}", "a\\b", "'; " + touch + "; echo '",
                "\"; " + touch + "; echo \"", "\t tab", "#comment", "!event", "> " + marker, "< /etc/passwd"));
        return values;
    }

    @Test
    void locallyEveryValueArrivesUnchangedAndRunsNothing() throws Exception {
        try (LocalHost local = new LocalHost()) {
            assertValuesSurvive(local, temp.resolve("local-marker"));
        }
    }

    @Test
    void overSshEveryValueArrivesUnchangedAndRunsNothing() throws Exception {
        try (SshHost l1 = SshHost.connect(bed.l1())) {
            // The namespaces share this machine's file system, so the marker is visible here.
            assertValuesSurvive(l1, temp.resolve("ssh-marker"));
        }
    }

    @Test
    void overTwoHopsEveryValueArrivesUnchangedAndRunsNothing() throws Exception {
        try (SshHost l2 = SshHost.connect(bed.l2Via(bed.l1()))) {
            assertValuesSurvive(l2, temp.resolve("l2-marker"));
        }
    }

    private static void assertValuesSurvive(Host host, Path marker) throws Exception {
        for (String value : hostileValues(marker)) {
            CommandResult result = host.run(Shell.command("printf", "%s\\n", value), TIMEOUT);
            assertThat(result.exitStatus()).as("exit status for %s", value).isZero();
            assertThat(result.stdout()).as("output for %s", value).isEqualTo(value + "\n");
            assertThat(marker).as("marker after %s", value).doesNotExist();
        }
        // The marker check can fail: an unquoted value does create it.
        host.run("printf '%s\\n' $(touch " + marker + ")", TIMEOUT);
        assertThat(marker).exists();
        Files.delete(marker);
    }
}
