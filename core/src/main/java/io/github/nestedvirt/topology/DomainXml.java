package io.github.nestedvirt.topology;

import io.github.nestedvirt.result.Level;

/**
 * libvirt domain XML for one guest of a topology, written with an XML writer so that no name or
 * path can inject markup. It follows the seed: VMX for an L1 (host-passthrough, or a required
 * {@code vmx} feature), {@code cache=none}, virtio disk and network, and a serial console whose
 * output is logged to the guest's {@code serialLog} file; and it carries the run's
 * {@link OwnerTag} in {@code <metadata>} so teardown and the reaper find it.
 */
public final class DomainXml {

    private DomainXml() {
    }

    /**
     * The domain document.
     *
     * @param guest the guest, with defaults applied
     * @param diskPath path of its disk volume on the guest's host
     * @param seedImage path of its cloud-init NoCloud seed ISO, or null for none
     * @param owner the run that owns it
     */
    public static String of(GuestSpec guest, String diskPath, String seedImage, OwnerTag owner) {
        XmlText xml = new XmlText();
        xml.open("domain").attribute("type", guest.domainType());
        xml.element("name", guest.name());
        xml.open("metadata").raw(owner::writeTo).close();
        xml.open("memory").attribute("unit", "KiB").value(guest.memory().kib()).close();
        xml.element("vcpu", guest.vcpus());
        os(xml, guest.boot());
        xml.open("features").empty("acpi").empty("apic");
        if (guest.tbCache() != null) {
            xml.open("tcg").open("tb-cache").attribute("unit", "KiB").value(guest.tbCache().kib()).close().close();
        }
        xml.close();
        cpu(xml, guest);
        xml.empty("clock").attribute("offset", "utc");
        xml.element("on_poweroff", "destroy");
        xml.element("on_reboot", "restart");
        xml.element("on_crash", "destroy");
        xml.open("devices");
        disk(xml, guest.disk(), diskPath);
        if (guest.boot() != null && guest.boot().hostRoot() != null) {
            hostRoot(xml, guest.boot().hostRoot());
        }
        if (seedImage != null) {
            xml.open("disk").attribute("type", "file").attribute("device", "cdrom");
            xml.empty("driver").attribute("name", "qemu").attribute("type", "raw");
            xml.empty("source").attribute("file", seedImage);
            xml.empty("target").attribute("dev", "sda").attribute("bus", "sata");
            xml.empty("readonly");
            xml.close();
        }
        network(xml, guest.network());
        // A pty keeps `virsh console` working; the log file keeps every byte for readiness errors.
        xml.open("serial").attribute("type", "pty");
        xml.empty("log").attribute("file", guest.serialLog()).attribute("append", "off");
        xml.empty("target").attribute("port", 0);
        xml.close();
        xml.open("console").attribute("type", "pty");
        xml.empty("target").attribute("type", "serial").attribute("port", 0);
        xml.close();
        if (!guest.network().isNetwork() && guest.network().address().usesAgent()) {
            // The QEMU guest agent's channel: libvirt asks the agent for a bridged guest's address.
            xml.open("channel").attribute("type", "unix");
            xml.empty("target").attribute("type", "virtio").attribute("name", "org.qemu.guest_agent.0");
            xml.close();
        }
        xml.open("rng").attribute("model", "virtio");
        xml.open("backend").attribute("model", "random").value("/dev/urandom").close();
        xml.close();
        xml.close();
        xml.close();
        return xml.finish();
    }

    private static void os(XmlText xml, KernelBoot boot) {
        xml.open("os");
        xml.open("type").attribute("arch", "x86_64").value("hvm").close();
        if (boot != null) {
            xml.element("kernel", boot.kernel());
            if (boot.initrd() != null) {
                xml.element("initrd", boot.initrd());
            }
            xml.element("cmdline", boot.cmdline());
        } else {
            xml.empty("boot").attribute("dev", "hd");
        }
        xml.close();
    }

    /**
     * An L1 under KVM must offer VMX to run L2s: host-passthrough passes it through, other modes
     * require it. TCG does not emulate VMX, and an L2 needs none, so they get no requirement.
     */
    private static void cpu(XmlText xml, GuestSpec guest) {
        CpuSpec cpu = guest.cpu();
        if (cpu.mode() == CpuSpec.Mode.HOST_PASSTHROUGH) {
            xml.empty("cpu").attribute("mode", cpu.mode());
            return;
        }
        boolean vmx = guest.level() == Level.L1 && guest.domainType() == DomainType.KVM;
        if (cpu.mode() == CpuSpec.Mode.HOST_MODEL && !vmx) {
            xml.empty("cpu").attribute("mode", cpu.mode());
            return;
        }
        xml.open("cpu").attribute("mode", cpu.mode());
        if (cpu.mode() == CpuSpec.Mode.CUSTOM) {
            xml.attribute("match", "exact");
            xml.open("model").attribute("fallback", "forbid").value(cpu.model()).close();
        }
        if (vmx) {
            xml.empty("feature").attribute("policy", "require").attribute("name", "vmx");
        }
        xml.close();
    }

    private static void disk(XmlText xml, DiskSpec disk, String path) {
        xml.open("disk").attribute("type", "file").attribute("device", "disk");
        xml.empty("driver").attribute("name", "qemu").attribute("type", disk.format()).attribute("cache", disk.cache());
        if (disk.io() != null) {
            xml.attribute("io", disk.io());
        }
        xml.empty("source").attribute("file", path);
        xml.empty("target").attribute("dev", "vda").attribute("bus", "virtio");
        xml.close();
    }

    /**
     * The host's {@code /}, read-only over virtio-9p. multidevs='remap' keeps inode numbers unique
     * across the host's mounts, which the guest would otherwise see colliding.
     */
    private static void hostRoot(XmlText xml, String tag) {
        xml.open("filesystem").attribute("type", "mount").attribute("accessmode", "passthrough")
                .attribute("multidevs", "remap");
        xml.empty("source").attribute("dir", "/");
        xml.empty("target").attribute("dir", tag);
        xml.empty("readonly");
        xml.close();
    }

    private static void network(XmlText xml, NetworkAttachment network) {
        if (network.isNetwork()) {
            xml.open("interface").attribute("type", "network");
            xml.empty("source").attribute("network", network.network());
        } else {
            xml.open("interface").attribute("type", "bridge");
            xml.empty("source").attribute("bridge", network.bridge());
        }
        xml.empty("model").attribute("type", "virtio");
        xml.close();
    }
}
