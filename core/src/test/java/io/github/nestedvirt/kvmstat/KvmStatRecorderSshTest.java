package io.github.nestedvirt.kvmstat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTestBed;
import io.github.nestedvirt.result.HypervisorExits;
import io.github.nestedvirt.result.Level;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A capture over SSH, on the real OpenSSH server of {@link SshTestBed}, while the benchmark uses the
 * same connection. That server runs in a network namespace whose fresh {@code /sys} has neither debugfs
 * nor tracefs mounted, so every source fails there, each for its own reason (read from the server's
 * mount table first), and the measurement says so.
 */
class KvmStatRecorderSshTest {

    @Test
    void overSshEverySourceThatFailsIsRecordedWithItsReason() throws Exception {
        try (SshTestBed bed = SshTestBed.start(); SshHost l1 = SshHost.connect(bed.l1())) {
            // ip netns exec mounts a fresh /sys for the server, without debugfs or tracefs: read what is there
            ExitSourcesThere expected = ExitSourcesThere.probe(l1, KvmStatSettings.defaults().command());
            HypervisorExits exits;
            try (KvmStatRecorder recorder = KvmStatRecorder.start(l1, Level.L1, KvmStatSettings.defaults())) {
                assertThat(l1.run("sleep 1; echo measured", Duration.ofSeconds(30)).stdout()).isEqualTo("measured\n");
                exits = recorder.stop();
            }

            assertThat(expected.source()).as("no source works in the server's namespace").isNull();
            assertThat(exits.captured()).isFalse();
            assertThat(exits.level()).isEqualTo(Level.L1);
            assertThat(exits.host()).isEqualTo(l1.name());
            assertThat(exits.notes()).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(exits.notes().get(i)).startsWith(expected.notePrefixes().get(i));
            }
            assertThat(exits.notes().get(0)).startsWith("kvm_stat: not installed (").endsWith("kvm_stat: not found)");
            assertThat(exits.summary()).startsWith("not captured: kvm_stat: not installed");
        }
    }
}
