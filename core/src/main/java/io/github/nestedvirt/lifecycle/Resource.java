package io.github.nestedvirt.lifecycle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.nestedvirt.result.Level;
import java.util.Objects;

/**
 * One thing a run creates and must remove again, as written in {@code topology.json}.
 *
 * @param kind what it is
 * @param name the libvirt name of a domain, volume or network; the absolute path of a file or
 *     seed image
 * @param where the libvirt URI that holds a domain, volume or network ({@code qemu:///system},
 *     {@code qemu+ssh://root@l1/system}); the {@link io.github.nestedvirt.host.Host#name() host name}
 *     that holds a file or seed image ({@code local} for L0)
 * @param pool the storage pool of a volume; {@code null} for every other kind
 * @param level the level the resource lives on (L0 for an L1's disk, L1 for an L2's)
 * @param state how far its creation or removal got
 * @param within the name of the L1 domain (recorded in the same run) this resource lives inside,
 *     e.g. an L2's domain, disk or serial log; null for what lives on L0. When that L1 cannot be
 *     reached any more, removing the L1 removes this too.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resource(Kind kind, String name, String where, String pool, Level level, State state, String within) {

    /** What a resource is; the JSON names are the lower-camel-case words. */
    public enum Kind {
        @JsonProperty("domain") DOMAIN,
        @JsonProperty("volume") VOLUME,
        @JsonProperty("file") FILE,
        @JsonProperty("seedImage") SEED_IMAGE,
        @JsonProperty("network") NETWORK
    }

    /** How far a resource got. */
    public enum State {
        /** Recorded, about to be created: it may or may not exist (the process may have died in between). */
        @JsonProperty("planned") PLANNED,
        /** Created and not yet removed. */
        @JsonProperty("created") CREATED,
        /** Removed, or found already gone. */
        @JsonProperty("removed") REMOVED
    }

    public Resource(Kind kind, String name, String where, String pool, Level level, State state) {
        this(kind, name, where, pool, level, state, null);
    }

    public Resource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(state, "state");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " resource needs a name");
        }
        if ((kind == Kind.VOLUME) != (pool != null)) {
            throw new IllegalArgumentException(kind == Kind.VOLUME
                    ? "volume " + name + " needs its storage pool"
                    : "only a volume has a storage pool, not " + kind + " " + name);
        }
        if ((kind == Kind.FILE || kind == Kind.SEED_IMAGE) && !name.startsWith("/")) {
            throw new IllegalArgumentException(kind + " " + name + ": needs an absolute path");
        }
    }

    /** A libvirt domain, before its creation. */
    public static Resource domain(String uri, String name, Level level) {
        return new Resource(Kind.DOMAIN, name, uri, null, level, State.PLANNED);
    }

    /** A storage volume in {@code pool}, before its creation. */
    public static Resource volume(String uri, String pool, String name, Level level) {
        return new Resource(Kind.VOLUME, name, uri, pool, level, State.PLANNED);
    }

    /** A libvirt network, before its creation. */
    public static Resource network(String uri, String name, Level level) {
        return new Resource(Kind.NETWORK, name, uri, null, level, State.PLANNED);
    }

    /** A file at an absolute path on a host, before its creation. */
    public static Resource file(String hostName, String path, Level level) {
        return new Resource(Kind.FILE, path, hostName, null, level, State.PLANNED);
    }

    /** A cloud-init seed image (a file) at an absolute path on a host, before its creation. */
    public static Resource seedImage(String hostName, String path, Level level) {
        return new Resource(Kind.SEED_IMAGE, path, hostName, null, level, State.PLANNED);
    }

    /** This resource in another state. */
    public Resource in(State newState) {
        return new Resource(kind, name, where, pool, level, newState, within);
    }

    /** This resource, living inside the L1 domain {@code l1Domain}. */
    public Resource inside(String l1Domain) {
        return new Resource(kind, name, where, pool, level, state, l1Domain);
    }

    /** True when both stand for the same thing, whatever their states. */
    public boolean sameAs(Resource other) {
        return kind == other.kind && name.equals(other.name) && where.equals(other.where)
                && Objects.equals(pool, other.pool);
    }

    /** For messages: {@code domain nvmx-l1 on qemu:///system}. */
    public String describe() {
        return switch (kind) {
            case DOMAIN -> "domain " + name + " on " + where;
            case VOLUME -> "volume " + pool + "/" + name + " on " + where;
            case NETWORK -> "network " + name + " on " + where;
            case FILE -> "file " + name + " on " + where;
            case SEED_IMAGE -> "seed image " + name + " on " + where;
        };
    }
}
