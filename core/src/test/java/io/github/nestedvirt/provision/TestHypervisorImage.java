package io.github.nestedvirt.provision;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An L1 guest hypervisor built at test time in about a second, with nothing downloaded: the
 * kernel of {@link TestGuestImage} boots a small initramfs that mounts THIS machine's root file
 * system read-only over virtio-9p (the domain's {@code boot.hostRoot} share), lays tmpfs overlays
 * over {@code /etc} and {@code /tmp} and fresh tmpfs over {@code /var} (but for L0's package
 * database, read-only, from which libguestfs builds its appliance), {@code /run} and
 * {@code /root}, and switches root. So the L1 runs this machine's own qemu, libvirtd, virtlogd,
 * dnsmasq and dropbear, and sees this machine's files (e.g. the L2 kernel and initramfs) at the
 * same paths, read-only; what it writes stays in its memory and goes with it.
 *
 * <p>Its second stage puts a fresh ext4 on the L1's disk for the L2 volumes (they use
 * {@code cache=none}, which tmpfs cannot do), starts virtlogd and libvirtd (qemu running as root,
 * as the L1 has no image-specific users to set up) and the {@code default} storage pool on that
 * disk, then dropbear with the host key and authorized client key of {@link TestGuestImage}, and
 * prints {@link TestGuestImage#READY_LINE}. It defines no network: the provisioner creates the
 * L1's {@code default} network for its L2s on {@value #L1_SUBNET}.0/24.
 */
public final class TestHypervisorImage {

    /** L1's own libvirt network; L2s get addresses here. */
    public static final String L1_SUBNET = "192.168.124";

    /** The 9p mount tag of L0's root file system. */
    public static final String HOST_ROOT_TAG = "l0root";

    private static TestHypervisorImage built;

    private final TestGuestImage guestImage;
    private final Path initrd;

    private TestHypervisorImage(TestGuestImage guestImage, Path initrd) {
        this.guestImage = guestImage;
        this.initrd = initrd;
    }

    /** The image of this JVM, built on first use (next to {@link TestGuestImage}'s, removed at exit with it). */
    public static synchronized TestHypervisorImage get() throws Exception {
        if (built == null) {
            built = build(TestGuestImage.get());
        }
        return built;
    }

    /** The L2 image: the busybox + dropbear guest, whose files the L1 reads from L0 at the same paths. */
    public TestGuestImage guestImage() {
        return guestImage;
    }

    /** The L1's kernel: the L2's, from {@code /boot}. */
    public Path kernel() {
        return guestImage.kernel();
    }

    /** The L1's initramfs. */
    public Path initrd() {
        return initrd;
    }

    private static TestHypervisorImage build(TestGuestImage guest) throws Exception {
        for (String tool : List.of("/usr/sbin/libvirtd", "/usr/sbin/virtlogd", "/usr/bin/virt-ssh-helper",
                "/usr/bin/qemu-system-x86_64", "/usr/sbin/dnsmasq", "/sbin/modprobe")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is missing: the L1 runs this machine's own"
                    + " virtualization stack; install libvirt-daemon-system and qemu-system-x86 (scripts/install-deps.sh)");
        }
        LocalHost local = new LocalHost();
        String version = guest.kernel().getFileName().toString().substring("vmlinuz-".length());
        Path dir = guest.initrd().getParent().resolve("hypervisor");
        Path root = dir.resolve("root");
        for (String sub : List.of("bin", "proc", "sys", "dev", "newroot", "modules", "nvmx")) {
            Files.createDirectories(root.resolve(sub));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        List<String> modules = new ArrayList<>();
        for (Path module : modulesInLoadOrder(local, version, "virtio_pci", "virtio_net", "9pnet_virtio", "9p",
                "overlay")) {
            String name = module.getFileName().toString();
            if (name.endsWith(".xz")) {
                TestGuestImage.run(local, Shell.command("xz", "-dc", module.toString()) + " > "
                        + Shell.quote(root.resolve("modules").resolve(name.substring(0, name.length() - 3)).toString()));
                name = name.substring(0, name.length() - 3);
            } else {
                Files.copy(module, root.resolve("modules").resolve(name));
            }
            modules.add(name);
        }
        Files.copy(guest.hostKey(), root.resolve("nvmx/host_key"));
        Files.copy(Path.of(guest.clientKey() + ".pub"), root.resolve("nvmx/authorized_keys"));
        TestGuestImage.writeExecutable(root.resolve("nvmx/udhcpc"), TestGuestImage.UDHCPC_SCRIPT);
        TestGuestImage.writeExecutable(root.resolve("nvmx/stage2"), STAGE2);
        TestGuestImage.writeExecutable(root.resolve("init"), INIT.formatted(String.join(" ", modules), HOST_ROOT_TAG));
        Path initrd = dir.resolve("initrd.img");
        TestGuestImage.run(local, "cd " + Shell.quote(root.toString()) + " && find . | cpio -o -H newc -R 0:0 --quiet"
                + " | gzip -1 > " + Shell.quote(initrd.toString()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(initrd, PosixFilePermissions.fromString("rw-r--r--"));
        return new TestHypervisorImage(guest, initrd);
    }

    /** The module files {@code modprobe} would insert for {@code names}, dependencies first, each once. */
    private static List<Path> modulesInLoadOrder(LocalHost local, String version, String... names) throws Exception {
        Set<Path> ordered = new LinkedHashSet<>();
        for (String name : names) {
            String plan = TestGuestImage.run(local, Shell.command("modprobe", "-S", version, "--show-depends", name));
            plan.lines().filter(line -> line.startsWith("insmod ")).map(line -> Path.of(line.split("\\s+")[1]))
                    .forEach(ordered::add);
        }
        return List.copyOf(ordered);
    }

    /** Stage one: mount L0's root and the writable layers, then switch root into stage two. */
    private static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox --install -s /bin
            export PATH=/bin
            mount -t proc proc /proc
            mount -t sysfs sysfs /sys
            mount -t devtmpfs devtmpfs /dev
            for m in %s; do
              insmod /modules/$m || echo "nvmx-l1: insmod $m failed"
            done
            if ! mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=1048576,cache=loose %s /newroot; then
              echo "nvmx-l1: cannot mount L0's root file system"
              poweroff -f
            fi
            mount -t tmpfs -o mode=755 run /newroot/run
            mkdir -p /newroot/run/nvmx
            cp /nvmx/* /newroot/run/nvmx/
            for d in etc tmp; do
              mkdir -p /newroot/run/nvmx/overlay/$d/upper /newroot/run/nvmx/overlay/$d/work
              mount -t overlay -o lowerdir=/newroot/$d,upperdir=/newroot/run/nvmx/overlay/$d/upper,workdir=/newroot/run/nvmx/overlay/$d/work overlay /newroot/$d
            done
            # /var is the L1's own, except L0's package database (read-only): supermin builds
            # libguestfs' appliance from the installed packages it lists, and without it the
            # appliance has no shell, so its /init cannot start and its kernel panics.
            mkdir -p /dpkg
            mount --bind /newroot/var/lib/dpkg /dpkg
            mount -t tmpfs -o mode=755 var /newroot/var
            mkdir -p /newroot/var/lib/dpkg
            mount --move /dpkg /newroot/var/lib/dpkg
            mount -t tmpfs -o mode=700 root /newroot/root
            mount --move /proc /newroot/proc
            mount --move /sys /newroot/sys
            mount --move /dev /newroot/dev
            exec switch_root /newroot /bin/busybox sh /run/nvmx/stage2
            """;

    /** Stage two, in L0's root: the L1's own libvirt with its network and pool, then SSH. */
    private static final String STAGE2 = """
            export PATH=/usr/sbin:/usr/bin:/sbin:/bin
            mkdir -p /dev/pts /dev/shm
            mount -t devpts devpts /dev/pts
            mount -t tmpfs shm /dev/shm
            mkdir -p /run/lock /var/lib/libvirt/images /var/log/libvirt/qemu /var/cache /var/tmp /var/lib/misc
            ln -s /run /var/run
            ln -s /run/lock /var/lock
            # L0's libvirt configuration (some of it root-only, so unreadable through 9p) is not the L1's.
            mount -t tmpfs -o mode=755 libvirt /etc/libvirt
            printf 'user = "root"\\ngroup = "root"\\n' > /etc/libvirt/qemu.conf
            hostname nvmx-l1
            ip link set lo up
            modprobe tun
            # L2 disks use cache=none, which needs O_DIRECT: tmpfs has none, so they go on the L1's own disk.
            modprobe virtio_blk
            modprobe ext4
            for i in $(seq 50); do [ -b /dev/vda ] && break; sleep 0.1; done
            mkfs.ext4 -q -F /dev/vda && mount -t ext4 /dev/vda /var/lib/libvirt/images \
              || echo "nvmx-l1: no file system for the L2 disks on /dev/vda"
            # a slow, loaded machine answers late: give each DHCP request 3 s
            busybox udhcpc -i eth0 -s /run/nvmx/udhcpc -t 40 -T 3 -b
            virtlogd -d
            libvirtd -d
            for i in $(seq 150); do [ -S /run/libvirt/libvirt-sock ] && break; sleep 0.2; done
            virsh -q pool-define-as default dir --target /var/lib/libvirt/images && virsh -q pool-start default
            mkdir -p /root/.ssh
            cp /run/nvmx/authorized_keys /root/.ssh/authorized_keys
            chmod 600 /root/.ssh/authorized_keys /run/nvmx/host_key
            dropbear -r /run/nvmx/host_key -s -p 22
            echo "%s $(ip -4 -o addr show dev eth0)"
            while true; do sleep 3600; done
            """.formatted(TestGuestImage.READY_LINE);
}
