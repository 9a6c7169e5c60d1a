package io.github.nestedvirt.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The test bed leaves nothing behind, and clears what a crashed run left. */
class SshTestBedTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final LocalHost local = new LocalHost();

    @Test
    void closeRemovesServersNamespacesAndRoute() throws Exception {
        SshTestBed bed = SshTestBed.start();
        String l1 = bed.l1Namespace();
        String l2 = bed.l2Namespace();
        String l2Network = bed.l2Address().replaceAll("\\.2$", ".0/24");
        assertThat(local.run("ip netns list", TIMEOUT).stdout()).contains(l1, l2);
        assertThat(bed.inNamespace(l1, "pgrep -x sshd || pgrep sshd").stdout()).isNotBlank();

        bed.close();

        assertThat(local.run("ip netns list", TIMEOUT).stdout()).doesNotContain(l1).doesNotContain(l2);
        assertThat(local.run("ip route show type unreachable", TIMEOUT).stdout()).doesNotContain(l2Network);
        assertThat(bed.dir()).doesNotExist();
    }

    @Test
    void leftoversOfADeadRunAreRemovedAtStart() throws Exception {
        // The pid of a process that has ended stands for a crashed test JVM.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        String staleNamespace = "nvmxtest-" + deadPid + "-z-l1";
        String staleLink = "nv" + deadPid + "-zr";
        try {
            local.run(Shell.command("ip", "netns", "add", staleNamespace), TIMEOUT).orThrow(local.name());
            local.run(Shell.command("ip", "link", "add", staleLink, "type", "veth", "peer", "name", "nv" + deadPid + "-zq"),
                    TIMEOUT).orThrow(local.name());

            try (SshTestBed bed = SshTestBed.start()) {
                assertThat(local.run("ip netns list", TIMEOUT).stdout()).doesNotContain(staleNamespace).contains(bed.l1Namespace());
                assertThat(local.run("ip -o link show", TIMEOUT).stdout()).doesNotContain(staleLink);
            }
        } finally {
            local.run(Shell.command("ip", "netns", "del", staleNamespace) + " 2>/dev/null; "
                    + Shell.command("ip", "link", "del", staleLink) + " 2>/dev/null", TIMEOUT);
        }
    }
}
