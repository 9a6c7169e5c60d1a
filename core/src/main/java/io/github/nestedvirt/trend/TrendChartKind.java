package io.github.nestedvirt.trend;

import static io.github.nestedvirt.trend.MedianSeriesBuilder.perLevelAndVariant;

import io.github.nestedvirt.bench.GuestfishLaunch;
import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.KernelBuild;
import io.github.nestedvirt.bench.NetworkThroughput;
import io.github.nestedvirt.compare.VariantComparison;
import java.util.Locale;
import java.util.function.Function;

/** The trend charts of a job, one per item of the test plan that has a figure to follow. */
public enum TrendChartKind {
    /** Kernel build time, one line per level and variant. */
    KERNEL_BUILD("Kernel build time per level",
            title -> perLevelAndVariant(title, KernelBuild.BENCHMARK, "seconds", "s")),
    /** Kernel builds that set VMCS shadowing on or off, one line per level and variant. */
    VMCS_SHADOWING("Kernel build time, VMCS shadowing on and off",
            title -> perLevelAnd(title, VariantComparison.SHADOW_VMCS)),
    /**
     * Kernel builds that set the MMU mode (shadow on shadow, shadow on EPT, EPT on EPT), one line
     * per level and variant.
     */
    MMU_MODES("Kernel build time per MMU mode", title -> perLevelAnd(title, VariantComparison.MMU)),
    /** libguestfs appliance launch time on L0 and L1. */
    GUESTFISH("guestfish launch time per level",
            title -> perLevelAndVariant(title, GuestfishLaunch.BENCHMARK, "seconds", "s")),
    /** File scan throughput inside the guests. */
    IO("I/O throughput per level", title -> perLevelAndVariant(title, IoScan.BENCHMARK, "throughput", "MB/s")),
    /** Network stream throughput (iperf3, netperf). */
    NETWORK("Network throughput per level",
            title -> perLevelAndVariant(title, NetworkThroughput.BENCHMARK, "throughput", "Mbit/s")),
    /** kvm-unit-tests passed, failed, skipped and timed out. */
    KVM_UNIT_TESTS("kvm-unit-tests results", KutSeriesBuilder::new);

    private final String title;
    private final Function<String, SummarySeriesBuilder> builder;

    TrendChartKind(String title, Function<String, SummarySeriesBuilder> builder) {
        this.title = title;
        this.builder = builder;
    }

    /** A stable id for URLs and element ids: {@code kernel-build}, {@code vmcs-shadowing}. */
    public String getId() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String getTitle() {
        return title;
    }

    /** The kind with this {@link #getId() id}. */
    public static TrendChartKind fromId(String id) {
        for (TrendChartKind kind : values()) {
            if (kind.getId().equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("trend chart: no chart '" + id + "'; expected one of "
                + java.util.Arrays.stream(values()).map(TrendChartKind::getId).toList());
    }

    SummarySeriesBuilder builder() {
        return builder.apply(title);
    }

    /**
     * Kernel builds that ran with {@code variantKey} set, one line per level and whole variant: the
     * other settings stay in the line's name rather than being mixed into one figure.
     */
    private static SummarySeriesBuilder perLevelAnd(String title, String variantKey) {
        return new MedianSeriesBuilder(title, "s",
                m -> KernelBuild.BENCHMARK.equals(m.getBenchmark()) && "seconds".equals(m.getMetric())
                        && "s".equals(m.getUnit()) && m.level() != null && m.variant().containsKey(variantKey),
                m -> SeriesKey.of(m).name());
    }
}
