package io.github.nestedvirt.facts;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.result.Level;
import java.time.Duration;

/**
 * Gathers the {@link HostFacts} of any {@link Host} in one round trip: a single shell script prints
 * tagged sections ({@code ==nvmx:kernel==}, ...) that {@link HostFactsParser} reads.
 *
 * <p>The script sticks to what busybox {@code sh} offers, because L1 and L2 guests may have nothing
 * else, and every tool it calls may be absent: a missing tool leaves its section empty.
 * The {@code kvm} field of the facts only says whether {@code /dev/kvm} is there and accessible;
 * whether KVM really works takes a {@link KvmProbe} (see {@link HostFacts#withKvm}).
 */
public final class HostFactsCollector {

    /** Generous: the script only reads files and asks a few tools for their version. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Section tags are {@code ==nvmx:NAME==} on a line of their own. */
    static final String SCRIPT = """
            s() { echo "==nvmx:$1=="; }
            s cpuinfo
            sed -n '1,/^$/p' /proc/cpuinfo 2>/dev/null
            s nproc
            nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || grep -c '^processor' /proc/cpuinfo
            s meminfo
            grep '^MemTotal:' /proc/meminfo 2>/dev/null
            s kernel
            uname -r
            s hostname
            hostname 2>/dev/null || cat /proc/sys/kernel/hostname
            s qemu
            for q in qemu-system-x86_64 /usr/libexec/qemu-kvm; do
              if command -v "$q" >/dev/null 2>&1; then "$q" --version 2>/dev/null | head -n 1; break; fi
            done
            s libvirt
            for l in libvirtd virtqemud virsh; do
              if command -v "$l" >/dev/null 2>&1; then "$l" --version 2>/dev/null | head -n 1; break; fi
            done
            s kvm_modules
            for m in /sys/module/kvm_*; do [ -d "$m" ] && echo "${m##*/}"; done
            s kvm_parameters
            for m in kvm_intel kvm_amd; do
              for p in nested ept enable_shadow_vmcs enable_apicv unrestricted_guest npt avic; do
                f=/sys/module/$m/parameters/$p
                [ -r "$f" ] && echo "$m $p $(cat "$f")"
              done
            done
            s dev_kvm
            if [ -e /dev/kvm ]; then
              ls -l /dev/kvm
              if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then echo "access rw"; else echo "access denied"; fi
              echo "user $(id -un 2>/dev/null)"
            fi
            s end
            """;

    private HostFactsCollector() {
    }

    /**
     * Collects the facts of {@code host}, without a KVM probe.
     *
     * @param level the nesting level {@code host} is at
     * @throws HostException when the host cannot run the script or its output has no sections
     */
    public static HostFacts collect(Host host, Level level) throws HostException, InterruptedException {
        CommandResult result = host.run(SCRIPT, TIMEOUT);
        try {
            return HostFactsParser.parse(result.stdout(), level, host.name());
        } catch (IllegalArgumentException e) {
            throw new HostException(host.name(), "cannot read host facts (exit status " + result.exitStatus()
                    + "): " + e.getMessage() + stderrHint(result.stderr()), e);
        }
    }

    /** Collects the facts of {@code host} and really probes KVM there (two round trips). */
    public static HostFacts collectAndProbe(Host host, Level level, Duration probeTimeout)
            throws HostException, InterruptedException {
        HostFacts facts = collect(host, level);
        return facts.withKvm(new KvmProbe(probeTimeout).probe(host));
    }

    private static String stderrHint(String stderr) {
        String trimmed = stderr.strip();
        return trimmed.isEmpty() ? "" : "; stderr: " + (trimmed.length() > 500 ? trimmed.substring(0, 500) + "..." : trimmed);
    }
}
