package io.github.nestedvirt.facts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.nestedvirt.result.ResultJson;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What preflight found on one host: its facts and the findings drawn from them, as aligned text
 * for people ({@link #toText()}) or JSON for tools ({@link #toJson()}).
 *
 * @param facts the host's facts, with the KVM probe's outcome
 * @param findings what was checked, in the order checked
 */
public record PreflightReport(HostFacts facts, List<Finding> findings) {

    private static final String INDENT = "  ";
    private static final int LABEL_WIDTH = 12;

    public PreflightReport {
        findings = List.copyOf(findings);
    }

    /** The most severe finding's severity; OK when there are none. */
    @JsonProperty("worst")
    public Finding.Severity worst() {
        return findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(Finding.Severity.OK);
    }

    /** Whether nothing failed (warnings allowed). */
    @JsonProperty("passed")
    public boolean passed() {
        return worst() != Finding.Severity.FAIL;
    }

    /** The accelerator guests started on this host use: {@code kvm} when the probe ran a guest, else {@code tcg}. */
    @JsonProperty("accelerator")
    public String accelerator() {
        return facts.kvm() != null && facts.kvm().usable() ? KvmProbe.Accelerator.KVM.qemuName()
                : KvmProbe.Accelerator.TCG.qemuName();
    }

    /** The report for people: the facts as aligned label/value lines, then one block per finding. */
    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append("Preflight of ").append(facts.host()).append(" (").append(facts.level()).append(")\n");
        line(text, "hostname", facts.hostname());
        line(text, "CPU", cpu());
        line(text, "memory", facts.memoryBytes() > 0
                ? String.format(Locale.ROOT, "%.1f GiB", facts.memoryBytes() / (1024.0 * 1024 * 1024)) : null);
        line(text, "kernel", facts.kernel());
        line(text, "qemu", facts.qemuVersion());
        line(text, "libvirt", facts.libvirtVersion());
        line(text, "KVM module", facts.kvmModule());
        Map<String, String> parameters = facts.kvmParameters() == null ? Map.of() : facts.kvmParameters();
        line(text, "parameters", parameters.isEmpty() ? null : parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        line(text, "KVM", facts.kvm() == null ? null : facts.kvm().state() + ": " + facts.kvm().detail());
        line(text, "accelerator", accelerator());
        text.append('\n').append("Findings\n");
        for (Finding finding : findings) {
            text.append(INDENT).append(String.format(Locale.ROOT, "%-4s", finding.severity())).append("  ")
                    .append(finding.message()).append('\n');
            if (!finding.action().isEmpty()) {
                text.append(INDENT).append("      -> ").append(finding.action()).append('\n');
            }
        }
        Map<Finding.Severity, Long> counts = findings.stream()
                .collect(Collectors.groupingBy(Finding::severity, Collectors.counting()));
        text.append('\n').append("Result: ").append(worst()).append(" (")
                .append(counts.getOrDefault(Finding.Severity.FAIL, 0L)).append(" FAIL, ")
                .append(counts.getOrDefault(Finding.Severity.WARN, 0L)).append(" WARN, ")
                .append(counts.getOrDefault(Finding.Severity.OK, 0L)).append(" OK)\n");
        return text.toString();
    }

    /** The report as JSON: facts, findings, worst, passed, accelerator. */
    public String toJson() {
        try {
            return ResultJson.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the preflight report of " + facts.host() + " as JSON", e);
        }
    }

    private String cpu() {
        String vendor = facts.cpuVendor() == null ? "" : facts.cpuVendor() + " ";
        String model = facts.cpuModel() == null ? "unknown model" : facts.cpuModel();
        List<String> flags = facts.cpuFlags() == null ? List.of() : facts.cpuFlags();
        String virtualization = flags.contains("vmx") ? "vmx" : flags.contains("svm") ? "svm" : "no vmx/svm";
        return vendor + model + ", " + facts.cpus() + " CPUs, " + virtualization;
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(INDENT).append(String.format(Locale.ROOT, "%-" + LABEL_WIDTH + "s", label)).append(' ')
                .append(value == null ? "-" : value).append('\n');
    }
}
