package io.github.nestedvirt.facts;

import io.github.nestedvirt.result.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of {@link HostFactsCollector#SCRIPT}: sections tagged {@code ==nvmx:NAME==},
 * each holding what one tool printed (nothing when the tool is absent).
 */
public final class HostFactsParser {

    private static final Pattern TAG = Pattern.compile("^==nvmx:([a-z_]+)==$");
    private static final Pattern VERSION = Pattern.compile("\\b(\\d+(?:\\.\\d+)+)\\b");

    private HostFactsParser() {
    }

    /**
     * Turns the script's output into facts. The KVM status says only whether {@code /dev/kvm} is
     * there and accessible; a {@link KvmProbe} tells whether it works.
     *
     * @param output the script's stdout
     * @param level the nesting level of the host
     * @param hostName the host's name, for the facts and for error messages
     * @throws IllegalArgumentException when the output is not the script's (no sections, or cut short)
     */
    public static HostFacts parse(String output, Level level, String hostName) {
        Map<String, List<String>> sections = sections(output);
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("no ==nvmx:...== sections in the output of the facts script on "
                    + hostName + "; does the host run commands with a POSIX sh? Output began: " + start(output));
        }
        if (!sections.containsKey("end")) {
            throw new IllegalArgumentException("the facts script on " + hostName
                    + " stopped before its last section; last section seen: " + lastKey(sections));
        }
        Map<String, String> cpuinfo = cpuinfo(sections.getOrDefault("cpuinfo", List.of()));
        String flags = cpuinfo.get("flags");
        List<String> kvmModules = sections.getOrDefault("kvm_modules", List.of());
        String kvmModule = kvmModule(kvmModules);
        return new HostFacts(level, hostName,
                first(sections, "hostname"),
                cpuinfo.get("vendor_id"),
                cpuinfo.get("model name"),
                flags == null || flags.isBlank() ? List.of() : List.of(flags.strip().split("\\s+")),
                intOrZero(first(sections, "nproc")),
                memTotalBytes(first(sections, "meminfo")),
                first(sections, "kernel"),
                version(first(sections, "qemu"), "version"),
                version(first(sections, "libvirt"), null),
                kvmModule,
                kvmParameters(sections.getOrDefault("kvm_parameters", List.of()), kvmModule),
                devKvm(sections.getOrDefault("dev_kvm", List.of())));
    }

    private static Map<String, List<String>> sections(String output) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : output.split("\\R")) {
            Matcher tag = TAG.matcher(line.strip());
            if (tag.matches()) {
                current = new ArrayList<>();
                sections.put(tag.group(1), current);
            } else if (current != null && !line.isBlank()) {
                current.add(line.strip());
            }
        }
        return sections;
    }

    /** {@code key : value} lines of the first processor; tabs pad the keys. */
    private static Map<String, String> cpuinfo(List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                values.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return values;
    }

    /** kvm_intel or kvm_amd when loaded, else any other vendor module (kvm_pvm, ...), else null. */
    private static String kvmModule(List<String> modules) {
        for (String preferred : List.of(KvmParameters.KVM_INTEL, KvmParameters.KVM_AMD)) {
            if (modules.contains(preferred)) {
                return preferred;
            }
        }
        return modules.isEmpty() ? null : modules.get(0);
    }

    /** Lines {@code module parameter value}; only the loaded module's parameters are kept. */
    private static Map<String, String> kvmParameters(List<String> lines, String module) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String line : lines) {
            String[] words = line.split("\\s+");
            if (words.length == 3 && words[0].equals(module)) {
                parameters.put(words[1], words[2]);
            }
        }
        return parameters;
    }

    /** {@code ls -l /dev/kvm}, then {@code access rw|denied}, then {@code user NAME}; empty when absent. */
    private static KvmStatus devKvm(List<String> lines) {
        if (lines.isEmpty()) {
            return new KvmStatus(KvmStatus.State.ABSENT, "no /dev/kvm");
        }
        String[] ls = lines.get(0).split("\\s+");
        String mode = ls.length > 3 ? ls[0] + " " + ls[2] + ":" + ls[3] : lines.get(0);
        String user = lines.stream().filter(l -> l.startsWith("user ")).map(l -> l.substring(5).strip())
                .findFirst().orElse("?");
        if (lines.contains("access denied")) {
            return new KvmStatus(KvmStatus.State.UNKNOWN, "permission denied: /dev/kvm is " + mode + " and user "
                    + user + " cannot read and write it; add " + user + " to the device's group");
        }
        return new KvmStatus(KvmStatus.State.UNKNOWN, "/dev/kvm present (" + mode + "), not probed");
    }

    /** The first dotted version number in the line, after {@code marker} when given. */
    private static String version(String line, String marker) {
        if (line == null) {
            return null;
        }
        String rest = line;
        if (marker != null && line.contains(marker)) {
            rest = line.substring(line.indexOf(marker) + marker.length());
        }
        Matcher m = VERSION.matcher(rest);
        return m.find() ? m.group(1) : null;
    }

    /** {@code MemTotal:  24684084 kB}; the kernel's kB are KiB. */
    private static long memTotalBytes(String line) {
        if (line == null) {
            return 0;
        }
        String[] words = line.split("\\s+");
        if (words.length < 2) {
            return 0;
        }
        try {
            long value = Long.parseLong(words[1]);
            return words.length > 2 && words[2].equalsIgnoreCase("kB") ? value * 1024 : value;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int intOrZero(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String first(Map<String, List<String>> sections, String name) {
        List<String> lines = sections.get(name);
        return lines == null || lines.isEmpty() ? null : lines.get(0);
    }

    private static String start(String output) {
        String s = output.strip();
        return s.isEmpty() ? "(nothing)" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static String lastKey(Map<String, List<String>> sections) {
        return Arrays.asList(sections.keySet().toArray(String[]::new)).get(sections.size() - 1);
    }
}
