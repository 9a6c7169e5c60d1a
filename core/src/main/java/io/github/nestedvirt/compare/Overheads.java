package io.github.nestedvirt.compare;

import io.github.nestedvirt.bench.GuestfishAccelerator;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.LevelRatio;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What each level of nesting costs within one run: L1/L0 and L2/L1 for every benchmark, metric and
 * variant. A level is compared with the level below in the same variant; when the level below has
 * no such variant, with its measurement without any variant (bare-metal L0 has no nesting settings).
 * With several hosts at a level (several L2s at once) each gets its own row.
 *
 * <p>A measurement that records it ran its guest under TCG (attribute {@code accelerator=tcg}, e.g.
 * the guestfish appliance in an L1 without usable nested KVM) measures emulation, not nested
 * virtualization: its row is kept, since the figure is real, but its label says so.
 */
public final class Overheads {

    private Overheads() {
    }

    /** One row per measurement above L0 that has a level below to compare with, in the run's order. */
    public static List<RatioRow> of(Run run, Significance.Test test) {
        List<RatioRow> rows = new ArrayList<>();
        for (Measurement upper : run.measurements()) {
            Level below = upper.level() == null ? null : upper.level().below();
            if (below == null || upper.values().length == 0) {
                continue;
            }
            Optional<Measurement> lower = below(run, upper, below, upper.variant())
                    .or(() -> below(run, upper, below, Map.of()));
            lower.ifPresent(l -> {
                String variant = variantText(upper.variant());
                String label = upper.benchmark() + "/" + upper.metric() + " " + upper.level() + "/" + below
                        + (variant.isEmpty() ? "" : " " + variant) + " (" + upper.host() + " over " + l.host() + ")"
                        + emulation(upper, l);
                rows.add(new RatioRow(label, upper.key(), l.key(), upper.unit(),
                        LevelRatio.of(upper.values(), l.values()), Significance.of(l.values(), upper.values(), test)));
            });
        }
        return rows;
    }

    /** Empty, or what the label must say when either side ran its guest under TCG. */
    static String emulation(Measurement upper, Measurement lower) {
        String above = upper.attributes().getOrDefault(GuestfishAccelerator.ATTRIBUTE, GuestfishAccelerator.UNKNOWN);
        String below = lower.attributes().getOrDefault(GuestfishAccelerator.ATTRIBUTE, GuestfishAccelerator.UNKNOWN);
        if (!GuestfishAccelerator.TCG.equals(above) && !GuestfishAccelerator.TCG.equals(below)) {
            return "";
        }
        return " [TCG: " + upper.level() + " " + above + ", " + lower.level() + " " + below
                + "; emulation, not a nesting figure]";
    }

    private static Optional<Measurement> below(Run run, Measurement upper, Level level, Map<String, String> variant) {
        return run.measurements().stream()
                .filter(m -> m.level() == level && m.benchmark().equals(upper.benchmark())
                        && m.metric().equals(upper.metric()) && Objects.equals(m.unit(), upper.unit())
                        && m.variant().equals(variant) && m.values().length > 0)
                .findFirst();
    }

    static String variantText(Map<String, String> variant) {
        return variant.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
