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
import java.util.Locale;
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
 * <p>That L1 cannot be live-migrated: QEMU refuses while a 9p export is mounted. So there is a
 * second variant, {@link #onOwnDisk()}, whose first stage mounts the same files from a squashfs on
 * the first partition of its own disk instead ({@link TestL1RootImage}, the disk's backing file),
 * and which carries the L2's initramfs in with it.
 *
 * <p>Its second stage puts a fresh ext4 on the L1's disk (on the other variant's second
 * partition) for the L2 volumes (they use {@code cache=none}, which tmpfs cannot do), starts
 * virtlogd and libvirtd (qemu running as root, as the L1 has no image-specific users to set up)
 * and the {@code default} storage pool on that
 * disk, then dropbear with the host key and authorized client key of {@link TestGuestImage}, and
 * prints {@link TestGuestImage#READY_LINE}. It defines no network: the provisioner creates the
 * L1's {@code default} network for its L2s on {@value #L1_SUBNET}.0/24.
 */
public final class TestHypervisorImage {

    /** L1's own libvirt network; L2s get addresses here. */
    public static final String L1_SUBNET = "192.168.124";

    /** The 9p mount tag of L0's root file system. */
    public static final String HOST_ROOT_TAG = "l0root";

    /** Where the L1's root file system comes from. */
    private enum Root {
        /** L0's own, over virtio-9p: built in a second, but QEMU cannot migrate such a guest. */
        HOST_SHARE(List.of("virtio_pci", "virtio_net", "9pnet_virtio", "9p", "overlay"), """
                mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=1048576,cache=loose %s /newroot
                """.formatted(HOST_ROOT_TAG), "/dev/vda"),
        /** {@link TestL1RootImage} on the L1's own disk: partition 1 the root, partition 2 for the L2 disks. */
        OWN_DISK(List.of("virtio_pci", "virtio_net", "virtio_blk", "squashfs", "overlay"), """
                for i in $(seq 50); do [ -b /dev/vda1 ] && break; sleep 0.1; done
                mount -t squashfs -o ro /dev/vda1 /newroot
                """, "/dev/vda2");

        final List<String> modules;
        final String mount;
        final String l2Disk;

        Root(List<String> modules, String mount, String l2Disk) {
            this.modules = modules;
            this.mount = mount;
            this.l2Disk = l2Disk;
        }
    }

    private static TestHypervisorImage sharingHostRoot;
    private static TestHypervisorImage onOwnDisk;

    private final TestGuestImage guestImage;
    private final Path initrd;
    private final Path rootImage;

    private TestHypervisorImage(TestGuestImage guestImage, Path initrd, Path rootImage) {
        this.guestImage = guestImage;
        this.initrd = initrd;
        this.rootImage = rootImage;
    }

    /**
     * The L1 that mounts L0's root over virtio-9p ({@code boot.hostRoot}), built on first use
     * (next to {@link TestGuestImage}'s, removed at exit with it). It cannot be live-migrated.
     */
    public static synchronized TestHypervisorImage get() throws Exception {
        if (sharingHostRoot == null) {
            sharingHostRoot = build(TestGuestImage.get(), Root.HOST_SHARE, null);
        }
        return sharingHostRoot;
    }

    /**
     * The L1 whose root is on its own disk, backed by {@link TestL1RootImage}: no 9p export, so it
     * can be live-migrated with its L2s. The L2's initramfs travels in the L1's initramfs and is
     * put at the same path in the L1 (L0's {@code /tmp} is not in the root image).
     */
    public static synchronized TestHypervisorImage onOwnDisk() throws Exception {
        if (onOwnDisk == null) {
            onOwnDisk = build(TestGuestImage.get(), Root.OWN_DISK, TestL1RootImage.get());
        }
        return onOwnDisk;
    }

    /** The backing file of the L1's disk (raw), or null when the L1 mounts L0's root over 9p. */
    public Path rootImage() {
        return rootImage;
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

    private static TestHypervisorImage build(TestGuestImage guest, Root rootFrom, Path rootImage) throws Exception {
        for (String tool : List.of("/usr/sbin/libvirtd", "/usr/sbin/virtlogd", "/usr/bin/virt-ssh-helper",
                "/usr/bin/qemu-system-x86_64", "/usr/sbin/dnsmasq", "/sbin/modprobe")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is missing: the L1 runs this machine's own"
                    + " virtualization stack; install libvirt-daemon-system and qemu-system-x86 (scripts/install-deps.sh)");
        }
        LocalHost local = new LocalHost();
        String version = guest.kernel().getFileName().toString().substring("vmlinuz-".length());
        Path dir = guest.initrd().getParent().resolve("hypervisor-" + rootFrom.name().toLowerCase(Locale.ROOT));
        Path root = dir.resolve("root");
        for (String sub : List.of("bin", "proc", "sys", "dev", "newroot", "modules", "nvmx")) {
            Files.createDirectories(root.resolve(sub));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        List<String> modules = new ArrayList<>();
        for (Path module : modulesInLoadOrder(local, version, rootFrom.modules.toArray(String[]::new))) {
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
        TestGuestImage.writeExecutable(root.resolve("nvmx/stage2"), STAGE2.formatted(rootFrom.l2Disk, READY_LINE));
        TestGuestImage.writeExecutable(root.resolve("init"), INIT.formatted(String.join(" ", modules), rootFrom.mount));
        if (rootImage != null) {
            Path carried = root.resolve("carry").resolve(guest.initrd().toString().substring(1));
            Files.createDirectories(carried.getParent());
            Files.copy(guest.initrd(), carried);
        }
        Path initrd = dir.resolve("initrd.img");
        TestGuestImage.run(local, "cd " + Shell.quote(root.toString()) + " && find . | cpio -o -H newc -R 0:0 --quiet"
                + " | gzip -1 > " + Shell.quote(initrd.toString()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(initrd, PosixFilePermissions.fromString("rw-r--r--"));
        return new TestHypervisorImage(guest, initrd, rootImage);
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
            %s
            if ! grep -q " /newroot " /proc/mounts; then
              echo "nvmx-l1: cannot mount the root file system"
              poweroff -f
            fi
            mount -t tmpfs -o mode=755 run /newroot/run
            mkdir -p /newroot/run/nvmx
            cp /nvmx/* /newroot/run/nvmx/
            for d in etc tmp; do
              mkdir -p /newroot/run/nvmx/overlay/$d/upper /newroot/run/nvmx/overlay/$d/work
              mount -t overlay -o lowerdir=/newroot/$d,upperdir=/newroot/run/nvmx/overlay/$d/upper,workdir=/newroot/run/nvmx/overlay/$d/work overlay /newroot/$d
            done
            # files of L0 the L1 needs at the same path but its root lacks (the L2's initramfs)
            if [ -d /carry ]; then cp -a /carry/. /newroot/; fi
            # /var is the L1's own, except L0's package database (read-only): supermin builds
            # libguestfs' appliance from the installed packages it lists, and without it the
            # appliance has no shell, so its /init cannot start and its kernel panics.
            # (a root on its own disk has no /var of L0's: nothing to keep there)
            if [ -d /newroot/var/lib/dpkg ]; then
              mkdir -p /dpkg
              mount --bind /newroot/var/lib/dpkg /dpkg
            fi
            mount -t tmpfs -o mode=755 var /newroot/var
            if [ -d /dpkg ]; then
              mkdir -p /newroot/var/lib/dpkg
              mount --move /dpkg /newroot/var/lib/dpkg
            fi
            mount -t tmpfs -o mode=700 root /newroot/root
            mount --move /proc /newroot/proc
            mount --move /sys /newroot/sys
            mount --move /dev /newroot/dev
            exec switch_root /newroot /bin/busybox sh /run/nvmx/stage2
            """;

    private static final String READY_LINE = TestGuestImage.READY_LINE;

    /** Stage two, in the L1's root: its own libvirt with its pool on the L2 disks' device, then SSH. */
    private static final String STAGE2 = """
            export PATH=/usr/sbin:/usr/bin:/sbin:/bin
            mkdir -p /dev/pts /dev/shm
            mount -t devpts devpts /dev/pts
            mount -t tmpfs shm /dev/shm
            # the links a distribution's udev makes: scripts read /dev/fd/N (bash's process substitution)
            ln -s /proc/self/fd /dev/fd
            ln -s /proc/self/fd/0 /dev/stdin
            ln -s /proc/self/fd/1 /dev/stdout
            ln -s /proc/self/fd/2 /dev/stderr
            mkdir -p /run/lock /var/lib/libvirt/images /var/log/libvirt/qemu /var/cache /var/tmp /var/lib/misc
            ln -s /run /var/run
            ln -s /run/lock /var/lock
            # L0's libvirt configuration (some of it root-only, so unreadable through 9p) is not the L1's.
            mount -t tmpfs -o mode=755 libvirt /etc/libvirt
            printf 'user = "root"\\ngroup = "root"\\n' > /etc/libvirt/qemu.conf
            hostname nvmx-l1
            ip link set lo up
            modprobe tun
            # The L1 is a hypervisor: its emulated CPU (qemu64) has svm, so kvm_amd gives it a /dev/kvm
            # whose guests run at the speed of TCG itself, not of TCG inside TCG.
            if grep -q -w svm /proc/cpuinfo; then modprobe kvm_amd || echo "nvmx-l1: modprobe kvm_amd failed"; fi
            # KVM's counters and tracepoints, where a distribution's init mounts them (kvm_stat's sources)
            mount -t debugfs debugfs /sys/kernel/debug
            # L2 disks use cache=none, which needs O_DIRECT: tmpfs has none, so they go on the L1's own disk.
            modprobe virtio_blk
            modprobe ext4
            for i in $(seq 50); do [ -b %1$s ] && break; sleep 0.1; done
            mkfs.ext4 -q -F %1$s && mount -t ext4 %1$s /var/lib/libvirt/images \
              || echo "nvmx-l1: no file system for the L2 disks on %1$s"
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
            echo "%2$s $(ip -4 -o addr show dev eth0)"
            while true; do sleep 3600; done
            """;
}
