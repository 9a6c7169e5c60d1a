package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.github.nestedvirt.result.Level;
import java.util.Locale;

/**
 * A guest's disk: a libvirt volume in a storage pool, optionally on top of a base image.
 *
 * @param format {@code raw} or {@code qcow2} (qcow2 volumes are always v3, compat 1.1)
 * @param preallocation {@code metadata} (qcow2 only), {@code falloc} or {@code none}
 * @param size virtual size
 * @param base absolute path of a base image used as the qcow2 backing file, or null
 * @param baseFormat the base image's format, qcow2 by default
 * @param pool libvirt storage pool the volume is created in
 * @param cache the disk's cache mode, {@code none} as the seed asks
 * @param io {@code native}, {@code threads} or {@code io_uring}; null leaves qemu's default
 */
public record DiskSpec(Format format, Preallocation preallocation, Size size, String base, Format baseFormat,
        String pool, Cache cache, Io io) {

    /** Disk image formats. */
    public enum Format {
        RAW, QCOW2;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How the volume's space is reserved when it is created. */
    public enum Preallocation {
        NONE, METADATA, FALLOC;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** libvirt's disk cache modes. */
    public enum Cache {
        NONE, WRITETHROUGH, WRITEBACK, DIRECTSYNC, UNSAFE;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** libvirt's disk I/O modes. */
    public enum Io {
        NATIVE, THREADS, IO_URING;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @JsonCreator
    static DiskSpec fromYaml(@JsonProperty("format") Format format,
            @JsonProperty("preallocation") Preallocation preallocation,
            @JsonProperty("size") Size size,
            @JsonProperty("base") String base,
            @JsonProperty("baseFormat") Format baseFormat,
            @JsonProperty("pool") String pool,
            @JsonProperty("cache") Cache cache,
            @JsonProperty("io") Io io) {
        return new DiskSpec(format, preallocation, size, base, baseFormat, pool, cache, io);
    }

    /** Nothing given: every value is the level's default. */
    static DiskSpec unset() {
        return new DiskSpec(null, null, null, null, null, null, null, null);
    }

    /**
     * Fills what was not given with the seed's defaults: L1 qcow2 with metadata preallocation,
     * 20 GiB; L2 qcow2, 10 GiB; both in pool {@code default} with {@code cache=none}.
     */
    DiskSpec withDefaults(Level level) {
        Format f = format != null ? format : Format.QCOW2;
        Preallocation p = preallocation != null ? preallocation
                : f == Format.QCOW2 && level == Level.L1 ? Preallocation.METADATA : Preallocation.NONE;
        return new DiskSpec(f, p, size != null ? size : Size.gib(level == Level.L1 ? 20 : 10), base,
                base == null ? null : baseFormat != null ? baseFormat : Format.QCOW2,
                pool != null ? pool : "default", cache != null ? cache : Cache.NONE, io);
    }
}
