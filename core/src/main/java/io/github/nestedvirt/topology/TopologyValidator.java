package io.github.nestedvirt.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks a topology passes before anything is created: names libvirt and DNS accept, no
 * duplicate guest, disk settings qemu can honour, TCG only when allowed, and L2s that fit in their
 * L1. Each problem names its field path ({@code l1[0].disk.io}) and where it stands in the file.
 */
final class TopologyValidator {

    /** Where a field path stands: {@code file:line:column}, or just the source. */
    @FunctionalInterface
    interface Locator {
        String where(List<Object> path);
    }

    /** Guest names double as host names and file names: letters, digits, '-', '_' and '.', 1-63. */
    static final Pattern GUEST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    /** Linux network device names: at most 15 characters, no '/' or white space. */
    static final Pattern BRIDGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,14}");
    /** libvirt object names kept to a safe set (networks, pools, CPU models). */
    static final Pattern OBJECT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}");

    private static final long MIB = 1L << 20;
    /** QEMU's own translation cache on a 64-bit host (since QEMU 5.0), when a TCG guest sets none. */
    private static final Size QEMU_TB_CACHE = Size.gib(1);

    private final Locator locator;
    private final List<String> problems = new ArrayList<>();

    TopologyValidator(Locator locator) {
        this.locator = locator;
    }

    List<String> problems(Topology topology) {
        if (topology.l1().isEmpty()) {
            problem(List.of("l1"), "the topology names no L1 guest");
        }
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < topology.l1().size(); i++) {
            GuestSpec l1 = topology.l1().get(i);
            List<Object> at = List.of("l1", i);
            guest(l1, at, seen);
            long total = 0;
            for (int j = 0; j < l1.l2().size(); j++) {
                GuestSpec l2 = l1.l2().get(j);
                List<Object> l2At = List.of("l1", i, "l2", j);
                guest(l2, l2At, seen);
                if (!l2.l2().isEmpty()) {
                    problem(with(l2At, "l2"), "an L2 guest has no nested guests of its own");
                }
                if (l2.packages().install()) {
                    problem(with(l2At, "packages", "install"), "packages are installed in an L1, for its L2s;"
                            + " an L2 runs no guests");
                }
                if (l2.memory().bytes() > l1.memory().bytes()) {
                    problem(with(l2At, "memory"), l2.memory() + " is more than its L1 has (" + l1.memory() + ")");
                } else if (l2.domainType() == DomainType.QEMU && needInL1(l2) > l1.memory().bytes()) {
                    // QEMU fills its translation cache as it translates code, so an L2 that fits at boot
                    // pushes its L1 into reclaim later: stalls and soft lockups, not an error message.
                    problem(with(l2At, "tbCache"), "under TCG this L2's QEMU takes its memory (" + l2.memory()
                            + ") and a translation cache of " + tbCache(l2) + ": " + new Size(needInL1(l2))
                            + ", more than its L1 has (" + l1.memory() + "); set tbCache (e.g. 128M) or give the L1"
                            + " more memory");
                }
                total += needInL1(l2);
            }
            if (l1.packages().install() && l1.l2().isEmpty()) {
                problem(with(at, "packages", "install"), "qemu and libvirt are installed for L2 guests, and this L1"
                        + " has none; remove packages or add l2 guests");
            }
            if (l1.l2().size() > 1 && total > l1.memory().bytes()) {
                boolean tcg = l1.l2().stream().anyMatch(l2 -> l2.domainType() == DomainType.QEMU);
                problem(with(at, "l2"), "the L2 guests need " + new Size(total) + " together"
                        + (tcg ? " (their memory, and the translation cache of each under TCG)" : "")
                        + ", more than their L1 has (" + l1.memory() + ")");
            }
        }
        return List.copyOf(problems);
    }

    private void guest(GuestSpec guest, List<Object> at, Map<String, String> seen) {
        if (!GUEST_NAME.matcher(guest.name()).matches()) {
            problem(with(at, "name"), "'" + guest.name() + "' is not a usable guest name; use 1-63 letters, digits,"
                    + " '-', '_' or '.', starting with a letter or digit");
        } else {
            String first = seen.putIfAbsent(guest.name(), text(at));
            if (first != null) {
                problem(with(at, "name"), "'" + guest.name() + "' is already the name of " + first
                        + "; guest names must be unique");
            }
        }
        if (guest.domainType() == DomainType.QEMU && !guest.allowTcg()) {
            problem(with(at, "domainType"), "qemu is TCG emulation, which is not what the plan measures;"
                    + " set allowTcg: true to run it anyway");
        }
        if (guest.domainType() == DomainType.KVM && guest.allowTcg()) {
            problem(with(at, "allowTcg"), "true only makes sense with domainType: qemu");
        }
        if (guest.tbCache() != null) {
            if (guest.domainType() != DomainType.QEMU) {
                problem(with(at, "tbCache"), "the translation cache is TCG's: give it with domainType: qemu,"
                        + " or remove it");
            } else if (guest.tbCache().bytes() < MIB || guest.tbCache().bytes() % MIB != 0) {
                problem(with(at, "tbCache"), guest.tbCache() + " is not a whole number of MiB (at least 1), which"
                        + " QEMU's tb-size takes; write e.g. 128M");
            }
        }
        disk(guest.disk(), with(at, "disk"));
        network(guest.network(), with(at, "network"));
        cpu(guest.cpu(), with(at, "cpu"));
        if (guest.domainType() == DomainType.QEMU && guest.cpu().mode() == CpuSpec.Mode.HOST_PASSTHROUGH) {
            problem(with(at, "cpu", "mode"), "host-passthrough needs domainType kvm; under TCG give a model,"
                    + " e.g. qemu64");
        }
        absolute(guest.serialLog(), with(at, "serialLog"));
        KernelBoot boot = guest.boot();
        if (boot != null) {
            if (boot.kernel() == null) {
                problem(with(at, "boot", "kernel"), "is required for direct kernel boot");
            } else {
                absolute(boot.kernel(), with(at, "boot", "kernel"));
            }
            if (boot.initrd() != null) {
                absolute(boot.initrd(), with(at, "boot", "initrd"));
            }
        }
        if (guest.ssh().port() < 1 || guest.ssh().port() > 65535) {
            problem(with(at, "ssh", "port"), "must be 1..65535, got " + guest.ssh().port());
        }
    }

    private void disk(DiskSpec disk, List<Object> at) {
        if (disk.preallocation() == DiskSpec.Preallocation.METADATA && disk.format() != DiskSpec.Format.QCOW2) {
            problem(with(at, "preallocation"), "metadata needs format qcow2; a raw disk takes falloc or none");
        }
        if (disk.base() != null) {
            if (disk.format() != DiskSpec.Format.QCOW2) {
                problem(with(at, "base"), "a base image needs format qcow2 (it becomes the backing file)");
            }
            absolute(disk.base(), with(at, "base"));
            if (disk.preallocation() == DiskSpec.Preallocation.FALLOC) {
                problem(with(at, "preallocation"), "falloc cannot be used with a base image; use metadata or none");
            }
        }
        if (disk.io() == DiskSpec.Io.NATIVE && disk.cache() != DiskSpec.Cache.NONE
                && disk.cache() != DiskSpec.Cache.DIRECTSYNC) {
            problem(with(at, "io"), "native needs cache none (or directsync), got cache " + disk.cache());
        }
        if (!OBJECT_NAME.matcher(disk.pool()).matches()) {
            problem(with(at, "pool"), "'" + disk.pool() + "' is not a usable storage pool name");
        }
    }

    private void network(NetworkAttachment network, List<Object> at) {
        if (network.bridge() != null && network.network() != null) {
            problem(at, "give either bridge or network, not both");
        } else if (network.bridge() == null && network.network() == null) {
            problem(at, "give a bridge (e.g. br0) or a libvirt network (e.g. default)");
        } else if (network.bridge() != null && !BRIDGE_NAME.matcher(network.bridge()).matches()) {
            problem(with(at, "bridge"), "'" + network.bridge() + "' is not a network device name (at most 15"
                    + " letters, digits, '-', '_', '.' or ':')");
        } else if (network.network() != null && !OBJECT_NAME.matcher(network.network()).matches()) {
            problem(with(at, "network"), "'" + network.network() + "' is not a usable libvirt network name");
        }
        if (network.network() != null && network.address() != null) {
            problem(with(at, "address"), "only a bridged guest needs an address source; on libvirt network "
                    + network.network() + " its DHCP leases tell the address, remove address");
        }
    }

    private void cpu(CpuSpec cpu, List<Object> at) {
        if (cpu.mode() == CpuSpec.Mode.CUSTOM && cpu.model() == null) {
            problem(with(at, "model"), "mode custom needs a model, e.g. Skylake-Server");
        }
        if (cpu.mode() != CpuSpec.Mode.CUSTOM && cpu.model() != null) {
            problem(with(at, "model"), "a model is only used with mode custom, not " + cpu.mode());
        }
        if (cpu.model() != null && !OBJECT_NAME.matcher(cpu.model()).matches()) {
            problem(with(at, "model"), "'" + cpu.model() + "' is not a CPU model name");
        }
    }

    private void absolute(String path, List<Object> at) {
        if (path == null || !path.startsWith("/")) {
            problem(at, "must be an absolute path, got '" + path + "'");
        } else if (path.chars().anyMatch(c -> c < 0x20)) {
            problem(at, "must not contain control characters");
        }
    }

    private void problem(List<Object> path, String message) {
        problems.add(locator.where(path) + ": " + text(path) + ": " + message);
    }

    private static List<Object> with(List<Object> path, Object... more) {
        List<Object> longer = new ArrayList<>(path);
        longer.addAll(List.of(more));
        return longer;
    }

    /** What a guest takes from its host: its memory, and under TCG its translation cache. */
    private static long needInL1(GuestSpec l2) {
        Size cache = l2.tbCache() != null ? l2.tbCache() : QEMU_TB_CACHE;
        return l2.memory().bytes() + (l2.domainType() == DomainType.QEMU ? cache.bytes() : 0);
    }

    private static String tbCache(GuestSpec guest) {
        return guest.tbCache() != null ? guest.tbCache().toString() : QEMU_TB_CACHE + " (QEMU's default)";
    }

    /** {@code l1[0].l2[1].memory} */
    private static String text(List<Object> path) {
        StringBuilder text = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                text.append(text.isEmpty() ? "" : ".").append(step);
            }
        }
        return text.toString();
    }

}
