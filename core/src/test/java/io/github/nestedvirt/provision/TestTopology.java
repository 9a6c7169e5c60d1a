package io.github.nestedvirt.provision;

import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.TopologyReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Topologies of test L1s as a user writes them: YAML text in the shape of
 * {@code plans/topology-tcg-test.yaml}, with the kernel and initramfs of {@link TestGuestImage},
 * the key already in the image, a small qcow2 disk in pool {@code default}, libvirt's
 * {@code default} network and TCG. Every guest boots with {@code no_timer_check}: under TCG on a
 * loaded machine the kernel's IO-APIC timer check can time out and panic the guest (libguestfs boots
 * its appliance with it for the same reason).
 */
public final class TestTopology {

    /** Timeouts for topologies with an L2 on this slow, shared machine: L1 ready, SSH login, L2 ready. */
    public static final Provisioner.Settings SLOW_NESTED = Provisioner.Settings.defaults()
            .withTimeouts(Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ofMinutes(5));

    private TestTopology() {
    }

    /**
     * A guest name no other test run uses: the JVM's pid (so that leftovers of a crashed run are
     * recognised, see {@link L1EndToEndTest#removeLeftoversOfCrashedRuns}) and a random part.
     */
    public static String uniqueName() {
        return L1EndToEndTest.PREFIX + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** A fresh temporary directory that qemu (libvirt's qemu user) can create the guests' serial logs in. */
    public static Path guestDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /**
     * @param names the L1s' names
     * @param extraCmdline appended to the kernel command line (e.g. to make the guest fail)
     * @param dir where serial logs and the guests' shared known_hosts go; qemu must be able to write in it
     */
    public static Topology of(List<String> names, TestGuestImage image, String extraCmdline, Path dir) throws Exception {
        return new TopologyReader().read(yaml(names, image, extraCmdline, dir), "test-topology.yaml");
    }

    /** The same topology as YAML text, e.g. for a file given to {@code nvmx provision}. */
    public static String yaml(List<String> names, TestGuestImage image, String extraCmdline, Path dir) {
        return yaml(names, image, extraCmdline, dir, "{network: default}");
    }

    /**
     * The same with another {@code network} value, as YAML flow text, e.g.
     * {@code {bridge: nvtbr1a2b, address: arp}}.
     */
    public static String yaml(List<String> names, TestGuestImage image, String extraCmdline, Path dir, String network) {
        StringBuilder yaml = new StringBuilder("l0:\n  uri: qemu:///system\nl1:\n");
        for (String name : names) {
            yaml.append("""
                      - name: %s
                        vcpus: 1
                        memory: 384M
                        domainType: qemu
                        allowTcg: true
                        network: %s
                        disk: {format: qcow2, preallocation: metadata, size: 64M, pool: default}
                        keyInjection: image
                        boot:
                          kernel: %s
                          initrd: %s
                          cmdline: "no_timer_check %s"
                        serialLog: %s
                        ssh:
                          identity: %s
                          knownHosts: %s
                          acceptNewHostKey: true
                    """.formatted(name, network, image.kernel(), image.initrd(), extraCmdline,
                    dir.resolve(name + "-serial.log"), image.clientKey(), dir.resolve("known_hosts")));
        }
        return yaml.toString();
    }

    /**
     * One L1 of {@link TestHypervisorImage} (TCG, 1 GiB, L0's root shared read-only or on its own
     * disk) with one L2
     * of {@link TestGuestImage} inside it (TCG in TCG, 256 MiB, on the L1's {@code default}
     * network, its disk in the L1's {@code default} pool, its serial log in the L1).
     *
     * @param l2Cmdline appended to the L2's kernel command line (e.g. to make it fail)
     * @param dir where the L1's serial log and the shared known_hosts go
     */
    public static String nestedYaml(String l1, String l2, TestHypervisorImage image, String l2Cmdline, Path dir) {
        return nestedYaml(l1, l2, image, l2Cmdline, dir, false, "1G");
    }

    /**
     * As {@link #nestedYaml(String, String, TestHypervisorImage, String, Path)}, with the L2 under
     * KVM in the L1 when {@code l2UnderKvm}: the test L1 loads kvm_amd on its emulated CPU, so its
     * guests run under KVM there (host-passthrough, the seed's default) at the speed of TCG itself;
     * and with {@code l1Memory} for the L1 (e.g. {@code 2G} when it also launches libguestfs' appliance).
     */
    public static String nestedYaml(String l1, String l2, TestHypervisorImage image, String l2Cmdline, Path dir,
            boolean l2UnderKvm, String l1Memory) {
        return nestedYaml(l1, List.of(l2), image, l2Cmdline, dir, l2UnderKvm, l1Memory);
    }

    /** As above, with several L2s in the one L1. */
    public static String nestedYaml(String l1, List<String> l2s, TestHypervisorImage image, String l2Cmdline, Path dir,
            boolean l2UnderKvm, String l1Memory) {
        TestGuestImage guest = image.guestImage();
        StringBuilder yaml = new StringBuilder(hypervisorYaml(l1, image, l1Memory, dir)).append("""
                    l2:
                """);
        for (String l2 : l2s) {
            yaml.append("""
                          - name: %1$s
                            vcpus: 1
                            memory: 256M
                    """.formatted(l2)).append(l2UnderKvm ? """
                            domainType: kvm
                    """ : """
                            domainType: qemu
                            allowTcg: true
                            tbCache: 128M
                    """).append("""
                            disk: {format: qcow2, size: 64M, pool: default}
                            keyInjection: image
                            boot: {kernel: %1$s, initrd: %2$s, cmdline: "quiet no_timer_check %3$s"}
                            ssh: {identity: %4$s, knownHosts: %5$s, acceptNewHostKey: true}
                    """.formatted(image.kernel(), guest.initrd(), l2Cmdline, guest.clientKey(),
                    dir.resolve("known_hosts")));
        }
        return yaml.toString();
    }

    /** One L1 of {@link TestHypervisorImage} alone, as in {@link #nestedYaml}. */
    public static String hypervisorYaml(String l1, TestHypervisorImage image, Path dir) {
        return hypervisorYaml(l1, image, "1G", dir);
    }

    /** As above, with {@code memory} for the L1, e.g. {@code 5G}. */
    public static String hypervisorYaml(String l1, TestHypervisorImage image, String memory, Path dir) {
        return """
                l0:
                  uri: qemu:///system
                l1:
                  - name: %1$s
                    vcpus: 2
                    memory: %9$s
                    domainType: qemu
                    allowTcg: true
                    network: {network: default}
                    disk: %2$s
                    keyInjection: image
                    boot: {kernel: %3$s, initrd: %4$s, cmdline: quiet no_timer_check%5$s}
                    serialLog: %6$s
                    ssh: {identity: %7$s, knownHosts: %8$s, acceptNewHostKey: true}
                """.formatted(l1, l1Disk(image), image.kernel(), image.initrd(),
                image.rootImage() == null ? ", hostRoot: " + TestHypervisorImage.HOST_ROOT_TAG : "",
                dir.resolve(l1 + "-serial.log"), image.guestImage().clientKey(), dir.resolve("known_hosts"), memory);
    }

    /**
     * An empty disk for the L2 volumes, or, for the L1 on its own disk, a copy-on-write disk on
     * its root image as a user gives an L1 its golden image ({@code base}).
     */
    private static String l1Disk(TestHypervisorImage image) {
        if (image.rootImage() == null) {
            return "{format: qcow2, preallocation: metadata, size: 256M, pool: default}";
        }
        return "{format: qcow2, preallocation: none, size: %dM, base: %s, baseFormat: raw, pool: default}"
                .formatted(TestL1RootImage.sizeMib(image.rootImage()), image.rootImage());
    }
}
