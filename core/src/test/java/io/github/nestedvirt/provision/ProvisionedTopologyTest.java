package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.host.HostKeyPolicy;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.result.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** provisioned.json of a run on a remote L0: written, read back, and the SSH routes through that L0. */
class ProvisionedTopologyTest {

    @TempDir
    Path runDir;

    @Test
    void aRemoteL0IsKeptAndItsL1sAndTheirL2sAreReachedThroughIt() throws Exception {
        ProvisionedGuest l0 = new ProvisionedGuest("l0", Level.L0, "lab-l0", "root", 2222, "/keys/l0", "L0_PASS",
                "/keys/known_hosts", HostKeyPolicy.STRICT, null, 0);
        ProvisionedTopology written = new ProvisionedTopology("run-1", l0, List.of(
                guest("hv", Level.L1, "192.168.122.5", null), guest("nested", Level.L2, "192.168.124.7", "hv")));

        written.write(runDir);
        ProvisionedTopology read = ProvisionedTopology.read(runDir);

        assertThat(read).isEqualTo(written);
        assertThat(Files.readString(runDir.resolve(ProvisionedTopology.FILE_NAME))).contains("\"l0\"");
        SshTarget l2 = read.sshTarget("nested");
        assertThat(l2.displayName()).isEqualTo("root@192.168.124.7:22 via root@192.168.122.5:22 via root@lab-l0:2222");
        assertThat(l2.via().via().privateKey()).isEqualTo(Path.of("/keys/l0"));
        assertThat(l2.via().via().hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(read.sshTarget("hv").displayName()).isEqualTo("root@192.168.122.5:22 via root@lab-l0:2222");
    }

    @Test
    void onThisMachineTheGuestsAreReachedDirectlyAndNoL0IsWritten() throws Exception {
        ProvisionedTopology written = new ProvisionedTopology("run-2", List.of(guest("hv", Level.L1, "192.168.122.5", null)));

        written.write(runDir);

        assertThat(Files.readString(runDir.resolve(ProvisionedTopology.FILE_NAME))).doesNotContain("\"l0\"");
        assertThat(ProvisionedTopology.read(runDir).sshTarget("hv").via()).isNull();
    }

    private static ProvisionedGuest guest(String name, Level level, String address, String via) {
        return new ProvisionedGuest(name, level, address, "root", 22, "/keys/guest", null, "/keys/guests_known_hosts",
                HostKeyPolicy.RECORD_NEW, via, 12.5);
    }
}
