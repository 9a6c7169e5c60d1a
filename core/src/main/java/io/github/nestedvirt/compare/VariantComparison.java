package io.github.nestedvirt.compare;

import io.github.nestedvirt.result.LevelRatio;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Two settings of one variant side by side within a run, everything else equal: VMCS shadowing off
 * over on ({@value #SHADOW_VMCS}), or one MMU mode over another ({@value #MMU}).
 */
public final class VariantComparison {

    /** The variant key of VMCS shadowing ({@code on}/{@code off}). */
    public static final String SHADOW_VMCS = "shadowVmcs";
    /** The variant key of the MMU mode ({@code shadow-on-shadow}, {@code shadow-on-ept}, {@code ept-on-ept}). */
    public static final String MMU = "mmu";

    private VariantComparison() {
    }

    /**
     * One row per measurement with {@code variantKey=numerator} that has a sibling with
     * {@code variantKey=denominator}: same benchmark, metric, level, host, unit and other variant keys.
     */
    public static List<RatioRow> of(Run run, String variantKey, String numerator, String denominator,
            Significance.Test test) {
        List<RatioRow> rows = new ArrayList<>();
        for (Measurement top : run.measurements()) {
            if (!numerator.equals(top.variant().get(variantKey)) || top.values().length == 0) {
                continue;
            }
            Map<String, String> siblingVariant = new TreeMap<>(top.variant());
            siblingVariant.put(variantKey, denominator);
            run.measurements().stream()
                    .filter(m -> m.benchmark().equals(top.benchmark()) && m.metric().equals(top.metric())
                            && m.level() == top.level() && m.host().equals(top.host())
                            && Objects.equals(m.unit(), top.unit()) && m.variant().equals(siblingVariant)
                            && m.values().length > 0)
                    .findFirst()
                    .ifPresent(bottom -> {
                        Map<String, String> rest = new TreeMap<>(top.variant());
                        rest.remove(variantKey);
                        String others = Overheads.variantText(rest);
                        String label = top.benchmark() + "/" + top.metric() + "@" + top.level() + " " + variantKey
                                + " " + numerator + "/" + denominator + (others.isEmpty() ? "" : " " + others)
                                + " (" + top.host() + ")";
                        rows.add(new RatioRow(label, top.key(), bottom.key(), top.unit(),
                                LevelRatio.of(top.values(), bottom.values()),
                                Significance.of(bottom.values(), top.values(), test)));
                    });
        }
        return rows;
    }

    /** Every pair of values of {@code variantKey} in the run, each pair once (in order of first appearance). */
    public static List<RatioRow> allPairs(Run run, String variantKey, Significance.Test test) {
        List<String> values = run.measurements().stream().map(m -> m.variant().get(variantKey))
                .filter(Objects::nonNull).distinct().toList();
        List<RatioRow> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            for (int j = i + 1; j < values.size(); j++) {
                rows.addAll(of(run, variantKey, values.get(j), values.get(i), test));
            }
        }
        return rows;
    }
}
