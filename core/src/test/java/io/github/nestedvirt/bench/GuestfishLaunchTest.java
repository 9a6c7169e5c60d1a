package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class GuestfishLaunchTest {

    @Test
    void parametersNameTheBadField() {
        assertThatThrownBy(() -> new GuestfishLaunch.Parameters(1, 0, 10, null, null, null, Duration.ofMinutes(1), 0))
                .hasMessageStartingWith("runs: must be at least 1");
        assertThatThrownBy(() -> new GuestfishLaunch.Parameters(-1, 1, 1, null, null, null, Duration.ofMinutes(1), 0))
                .hasMessageStartingWith("warmups:");
        assertThatThrownBy(() -> new GuestfishLaunch.Parameters(1, 1, 1, " ", null, null, Duration.ofMinutes(1), 0))
                .hasMessageStartingWith("backend:");
        assertThatThrownBy(() -> new GuestfishLaunch.Parameters(1, 1, 1, null, null, "appliance", Duration.ofMinutes(1), 0))
                .hasMessage("appliance: must be an absolute directory on the measured host, got 'appliance'");
        assertThatThrownBy(() -> new GuestfishLaunch.Parameters(1, 1, 1, null, null, null, Duration.ZERO, 0))
                .hasMessage("timeoutSeconds: must be a positive number of seconds, got 0");
        assertThatThrownBy(() -> new GuestfishLaunch.Parameters(1, 1, 1, null, null, null, Duration.ofMinutes(1), -1))
                .hasMessage("retriesOnHang: must be 0 or more, got -1");
        assertThat(GuestfishLaunch.Parameters.defaults().runs()).isEqualTo(10);
        assertThat(GuestfishLaunch.Parameters.defaults().warmups()).isEqualTo(1);
    }

    @Test
    void aFailedLaunchWithAMissingTmpdirShowsTheEndOfStderr() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/guestfish")), "needs guestfish (Debian libguestfs-tools)");
        // a TMPDIR that does not exist is a real launch failure that libguestfs reports at once
        GuestfishLaunch launch = new GuestfishLaunch(
                new GuestfishLaunch.Parameters(1, 1, 1, "direct", null, null, Duration.ofMinutes(2), 0));
        try (TestLocalHost host = new TestLocalHost(List.of("env", "TMPDIR=/nonexistent/tmpdir"))) {
            assertThatThrownBy(() -> launch.measure(host, Level.L0, Progress.NONE))
                    .isInstanceOf(BenchmarkFailedException.class)
                    .hasMessageContaining("local: guestfish launch 1 failed with exit status 1")
                    .hasMessageContaining("/nonexistent/tmpdir").hasMessageContaining("No such file or directory");
        }
    }

    @Test
    void aFixedApplianceThatIsNotThereFailsNamingItsDirectory() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/guestfish")), "needs guestfish (Debian libguestfs-tools)");
        Path missing = Files.createTempDirectory("nvmx-test-no-appliance-");
        Files.delete(missing);
        GuestfishLaunch launch = new GuestfishLaunch(new GuestfishLaunch.Parameters(0, 1, 1, "direct", "force_tcg",
                missing.toString(), Duration.ofMinutes(2), 0));
        try (TestLocalHost host = new TestLocalHost()) {
            assertThatThrownBy(() -> launch.measure(host, Level.L0, Progress.NONE))
                    .isInstanceOf(BenchmarkFailedException.class)
                    .hasMessageContaining("local: guestfish launch 0 failed with exit status 1")
                    .hasMessageContaining("LIBGUESTFS_PATH").hasMessageContaining(missing.toString());
        }
    }

    @Test
    @Tag("slow")
    void launchesTheApplianceUnderForcedTcg() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/guestfish")), "needs guestfish (Debian libguestfs-tools)");
        GuestfishLaunch launch = new GuestfishLaunch(
                new GuestfishLaunch.Parameters(1, 2, 2, "direct", "force_tcg", null, Duration.ofMinutes(10), 0));

        Measurement measurement;
        try (TestLocalHost host = new TestLocalHost()) {
            measurement = launch.measure(host, Level.L0, Progress.NONE);
        }

        assertThat(measurement.benchmark()).isEqualTo("guestfish-launch");
        assertThat(measurement.unit()).isEqualTo("s");
        assertThat(measurement.better()).isEqualTo(Better.LOWER);
        assertThat(measurement.samples()).hasSize(3);
        assertThat(measurement.samples().get(0).warmup()).isTrue();
        assertThat(measurement.values()).hasSize(2);
        for (double seconds : measurement.values()) {
            assertThat(seconds).isBetween(1.0, 600.0);
        }
        assertThat(measurement.attributes()).containsEntry("accelerator", "tcg");
        assertThat(measurement.variant()).isEqualTo(Map.of("backend", "direct", "backendSettings", "force_tcg"));
        System.out.println("guestfish launch (force_tcg): " + Summary.of(measurement) + " samples "
                + measurement.samples());
    }
}
