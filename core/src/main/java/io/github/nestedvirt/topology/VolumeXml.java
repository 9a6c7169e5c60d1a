package io.github.nestedvirt.topology;

/**
 * libvirt storage volume XML for a guest's disk: qcow2 v3 ({@code <compat>1.1</compat>}) or raw,
 * with the base image as backing store when one is given. Preallocation is expressed the way
 * libvirt takes it: {@code falloc} as an allocation equal to the capacity, {@code metadata} as the
 * {@link #createFlags} passed to {@code storageVolCreateXML}.
 */
public final class VolumeXml {

    /** libvirt's {@code VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA}. */
    public static final int PREALLOC_METADATA = 1;

    private VolumeXml() {
    }

    /** The volume's name in its pool: {@code NAME.qcow2} or {@code NAME.img}. */
    public static String volumeName(GuestSpec guest) {
        return guest.name() + (guest.disk().format() == DiskSpec.Format.QCOW2 ? ".qcow2" : ".img");
    }

    /** The flags for {@code StoragePool.storageVolCreateXML(xml, flags)}. */
    public static int createFlags(DiskSpec disk) {
        return disk.preallocation() == DiskSpec.Preallocation.METADATA ? PREALLOC_METADATA : 0;
    }

    /** The guest's disk volume, named by {@link #volumeName}. */
    public static String of(GuestSpec guest) {
        return of(volumeName(guest), guest.disk());
    }

    /** A volume named {@code name} with the disk's format, size, preallocation and base image. */
    public static String of(String name, DiskSpec disk) {
        XmlText xml = new XmlText();
        xml.open("volume");
        xml.element("name", name);
        xml.open("capacity").attribute("unit", "bytes").value(disk.size().bytes()).close();
        long allocation = disk.preallocation() == DiskSpec.Preallocation.FALLOC ? disk.size().bytes() : 0;
        xml.open("allocation").attribute("unit", "bytes").value(allocation).close();
        xml.open("target");
        xml.empty("format").attribute("type", disk.format());
        if (disk.format() == DiskSpec.Format.QCOW2) {
            xml.element("compat", "1.1");
        }
        xml.close();
        if (disk.base() != null) {
            xml.open("backingStore");
            xml.element("path", disk.base());
            xml.empty("format").attribute("type", disk.baseFormat());
            xml.close();
        }
        xml.close();
        return xml.finish();
    }
}
