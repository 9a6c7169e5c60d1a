package io.github.nestedvirt.result;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.report.HtmlReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kvm_stat figures stored with a measurement, as the text table and the HTML report show them. */
class RunTextTest {

    private static Run runWithKvmStat() {
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("kvm_exit", 1520.0);
        rates.put("kvm_exit(HLT)", 12.0);
        rates.put("kvm_exit(EPT_VIOLATION)", 402.0);
        rates.put("kvm_nested_vmexit", 360.25);
        rates.put("kvm_nested_vmexit_inject", 126.5);
        HypervisorExits l0 = new HypervisorExits(Level.L0, "local", "tracefs", 61.5, rates,
                List.of("kvm_stat: not installed (/bin/sh: 1: exec: kvm_stat: not found)"));
        HypervisorExits l1 = HypervisorExits.unavailable(Level.L1, "root@l1",
                List.of("kvm_stat: not installed (sh: exec: kvm_stat: not found)", "debugfs: no /sys/kernel/debug/kvm"));
        Measurement build = Runs.measurement(Level.L2, "root@l2", 600, 610).withKvmStat(List.of(l0, l1));
        return new Run(Run.SCHEMA_VERSION, "20250131-120000-3fa9c1", Instant.parse("2025-01-31T12:00:00Z"), null, "p",
                List.of(), List.of(build, Runs.measurement(Level.L1, "root@l1", 500)), List.of());
    }

    @Test
    void theTextTableShowsExitRatesAndWhyAHypervisorHasNone() {
        String text = RunText.format(runWithKvmStat());

        assertThat(text).contains("kvm_stat during kernel-build@L2 on root@l2 {mmu=ept, shadowVmcs=on}:\n"
                + "  L0 local: tracefs, 61.5 s: kvm_exit 1520/s; kvm_nested_vmexit 360.3/s; kvm_nested_vmexit_inject "
                + "126.5/s; top reasons: EPT_VIOLATION 402/s, HLT 12/s (kvm_stat: not installed (/bin/sh: 1: exec: "
                + "kvm_stat: not found))\n"
                + "  L1 root@l1: not captured: kvm_stat: not installed (sh: exec: kvm_stat: not found); debugfs: no "
                + "/sys/kernel/debug/kvm\n");
        assertThat(text).doesNotContain("kvm_stat during kernel-build@L1");
    }

    @Test
    void theHtmlReportShowsTheSameFigures() {
        String page = HtmlReport.render(List.of(runWithKvmStat()), List.of(), 1);

        assertThat(page).contains("<h4>kvm_stat on the hypervisors below</h4>")
                .contains("<td>kernel-build@L2 on root@l2</td><td>mmu=ept, shadowVmcs=on</td><td>L0 local</td>"
                        + "<td>tracefs, 61.5 s: kvm_exit 1520/s;")
                .contains("<td>L1 root@l1</td><td>not captured: kvm_stat: not installed");
    }
}
