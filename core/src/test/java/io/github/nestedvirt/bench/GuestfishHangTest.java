package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.provision.TestGuestImage;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Launches that hang, for real: a fixed appliance whose {@code /init} says so on the console and
 * then never starts the libguestfs daemon, so guestfish waits for an answer that never comes (as an
 * appliance that stalls while booting under an emulated L1 does). Appliances are launched under TCG
 * ({@code force_tcg}): KVM does not work on this machine.
 */
@Tag("slow")
class GuestfishHangTest {

    private static final String HANGING = "nvmx test appliance: init started, the daemon never will";
    /** Long enough for the appliance's kernel to reach /init under TCG on a busy machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(45);

    private static Path dir;
    private static Path working;
    private static Path hanging;

    @BeforeAll
    static void appliances() throws Exception {
        Path make = Path.of("/usr/sbin/libguestfs-make-fixed-appliance");
        assumeTrue(Files.isExecutable(make), make + " is missing: needs libguestfs-tools (scripts/install-deps.sh)");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs a static /bin/busybox (busybox-static)");
        dir = Files.createTempDirectory("nvmx-test-guestfish-hang-");
        working = dir.resolve("working");
        hanging = dir.resolve("hanging");
        LocalHost local = new LocalHost();
        local.run("LIBGUESTFS_BACKEND=direct LIBGUESTFS_BACKEND_SETTINGS=force_tcg "
                + Shell.command(make.toString(), working.toString()), Duration.ofMinutes(10)).orThrow("local");
        // the working appliance's kernel, an initramfs of busybox whose /init hangs, an empty ext2 root disk
        Path initramfs = dir.resolve("initramfs");
        Files.createDirectories(initramfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), initramfs.resolve("bin/busybox"));
        Files.writeString(initramfs.resolve("init"), "#!/bin/busybox sh\n/bin/busybox echo '" + HANGING + "'\n"
                + "exec /bin/busybox sleep 100000\n");
        Files.createDirectories(hanging);
        String in = Shell.quote(initramfs.toString());
        String out = Shell.quote(hanging.toString());
        local.run("chmod 755 " + in + "/init && cp " + Shell.quote(working.resolve("kernel").toString()) + " " + out
                + "/kernel && (cd " + in + " && find . | cpio -o -H newc --quiet | gzip) > " + out + "/initrd"
                + " && truncate -s 4M " + out + "/root && mkfs.ext2 -q -F " + out + "/root && echo 'hangs on purpose' > " + out + "/README.fixed",
                Duration.ofMinutes(1)).orThrow("local");
    }

    @AfterAll
    static void removeAppliances() {
        if (dir != null) {
            TestGuestImage.deleteTree(dir);
        }
    }

    @Test
    void aLaunchThatHangsFailsWithTheAppliancesLastWordsWhenNoRetryIsAllowed() throws Exception {
        GuestfishLaunch launch = new GuestfishLaunch(new GuestfishLaunch.Parameters(0, 1, 1, "direct", "force_tcg",
                hanging.toString(), TIMEOUT, 0));
        long start = System.nanoTime();
        try (TestLocalHost host = new TestLocalHost()) {
            assertThatThrownBy(() -> launch.measure(host, Level.L0, Progress.NONE))
                    .isInstanceOf(BenchmarkFailedException.class)
                    .hasMessageContaining("local: guestfish launch 0 hung: no answer from the appliance within 45 s"
                            + " (timeoutSeconds), hung launches 1, retriesOnHang 0")
                    // the verbose launch shows the appliance's console: where it stopped
                    .hasMessageContaining(HANGING);
        }
        // ended at the timeout, with the appliance's qemu: nothing of it keeps running
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(TIMEOUT.toSeconds() + 30);
        assertThat(qemusOf(hanging)).isEmpty();
    }

    @Test
    void aHungLaunchIsMadeAgainAndCountedNotAveraged() throws Exception {
        // the appliance directory the plan names: hanging at first, working from the retry on
        Path appliance = dir.resolve("appliance");
        Files.createSymbolicLink(appliance, hanging);
        List<String> messages = new CopyOnWriteArrayList<>();
        Progress flipOnHang = Progress.lines(message -> {
            messages.add(message);
            if (message.contains(" hung ")) {
                try {
                    Files.delete(appliance);
                    Files.createSymbolicLink(appliance, working);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        GuestfishLaunch launch = new GuestfishLaunch(new GuestfishLaunch.Parameters(0, 1, 1, "direct", "force_tcg",
                appliance.toString(), TIMEOUT, 1));

        Measurement measurement;
        try (TestLocalHost host = new TestLocalHost()) {
            measurement = launch.measure(host, Level.L0, flipOnHang);
        }

        assertThat(messages).anyMatch(m -> m.startsWith("guestfish: launch 0 hung for 45 s and was ended; making it"
                + " again (hang 1, retriesOnHang 1)"));
        // the hang is no sample: one measured launch, by the working appliance, and the accelerator found again
        assertThat(measurement.values()).hasSize(1);
        assertThat(measurement.values()[0]).isBetween(1.0, 600.0);
        assertThat(measurement.attributes()).containsEntry("accelerator", "tcg")
                .containsEntry(GuestfishLaunch.HUNG_LAUNCHES, "1");
        assertThat(measurement.attributes().get(GuestfishLaunch.LAST_HANG))
                .startsWith("launch 0 ended after 45 s; its last output:\n").contains(HANGING);
        System.out.println("guestfish after a hung launch: " + measurement.samples() + " " + measurement.attributes());
    }

    /** qemu processes whose command line names {@code appliance}. */
    private static List<String> qemusOf(Path appliance) throws Exception {
        return new LocalHost().run("ps -eo args | grep -F " + Shell.quote(appliance.toString()) + " | grep qemu"
                + " | grep -v grep || true", Duration.ofSeconds(10)).stdout().lines().toList();
    }
}
