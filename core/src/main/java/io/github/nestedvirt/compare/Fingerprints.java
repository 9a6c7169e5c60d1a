package io.github.nestedvirt.compare;

import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What differs between the fingerprints of two runs, as far as a measurement at a level depends on
 * it: the measured level and every level below (an L2 figure depends on L1's and L0's kernel and kvm
 * parameters too). Hosts are matched by name. The facts that decide nested performance are compared:
 * CPU model, kernel, qemu, libvirt, kvm module, each kvm module parameter, and whether KVM works.
 * A host recorded in one run but not the other is a difference, and so is a fingerprint in one run
 * only; two runs without any fingerprint (imports of old logs) have nothing to compare and give none.
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    /** Differences such as {@code "l1 kernel: 6.1.0-18-amd64 -> 6.6.8"}, baseline first; empty when alike. */
    public static List<String> differences(Run baseline, Run candidate, Level upTo) {
        if (baseline.fingerprint().isEmpty() && candidate.fingerprint().isEmpty()) {
            return List.of();
        }
        if (baseline.fingerprint().isEmpty() || candidate.fingerprint().isEmpty()) {
            return List.of("no fingerprint recorded in the " + (baseline.fingerprint().isEmpty() ? "baseline run "
                    + baseline.id() : "candidate run " + candidate.id()));
        }
        Map<String, HostFacts> before = byHost(baseline, upTo);
        Map<String, HostFacts> after = byHost(candidate, upTo);
        List<String> differences = new ArrayList<>();
        for (String host : new TreeSet<>(union(before.keySet(), after.keySet()))) {
            HostFacts a = before.get(host);
            HostFacts b = after.get(host);
            if (a == null || b == null) {
                differences.add(host + ": fingerprint only in the " + (a == null ? "candidate" : "baseline")
                        + " run");
                continue;
            }
            differ(differences, host, "CPU", a.cpuModel(), b.cpuModel());
            differ(differences, host, "kernel", a.kernel(), b.kernel());
            differ(differences, host, "qemu", a.qemuVersion(), b.qemuVersion());
            differ(differences, host, "libvirt", a.libvirtVersion(), b.libvirtVersion());
            differ(differences, host, "kvm module", a.kvmModule(), b.kvmModule());
            Map<String, String> paramsA = a.kvmParameters() == null ? Map.of() : a.kvmParameters();
            Map<String, String> paramsB = b.kvmParameters() == null ? Map.of() : b.kvmParameters();
            for (String name : new TreeSet<>(union(paramsA.keySet(), paramsB.keySet()))) {
                differ(differences, host, a.kvmModule() == null ? name : a.kvmModule() + "." + name,
                        paramsA.get(name), paramsB.get(name));
            }
            differ(differences, host, "KVM", a.kvm() == null ? null : a.kvm().state(),
                    b.kvm() == null ? null : b.kvm().state());
        }
        return differences;
    }

    private static Map<String, HostFacts> byHost(Run run, Level upTo) {
        Map<String, HostFacts> facts = new TreeMap<>();
        for (HostFacts host : run.fingerprint()) {
            if (upTo == null || host.level() == null || host.level().compareTo(upTo) <= 0) {
                facts.put(host.host(), host);
            }
        }
        return facts;
    }

    private static void differ(List<String> differences, String host, String what, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            differences.add(host + " " + what + ": " + text(before) + " -> " + text(after));
        }
    }

    private static String text(Object value) {
        return value == null ? "(not recorded)" : value.toString();
    }

    private static TreeSet<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
