package io.github.nestedvirt.trend;

import io.github.nestedvirt.kvmstat.KvmStatCapture;
import io.github.nestedvirt.result.Figures;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of VM exit on a hypervisor: how many per second. Rows come from plain values, so that
 * every source of exit counts (a kvm_stat capture stored as measurements, counts recorded with a
 * benchmark's measurement) gives the same row.
 */
public final class ExitRateView {

    private static final Pattern EXIT_REASON = Pattern.compile("kvm_exit\\((.+)\\)");

    private final String during;
    private final String level;
    private final String host;
    private final String event;
    private final double perSecond;
    private final double low;
    private final double high;
    private final int n;

    /**
     * @param during what ran meanwhile (a measurement key), or empty for a capture of its own
     * @param level the hypervisor's level
     * @param host the hypervisor's name
     * @param event the exit reason or nested event, see {@link #event(String)}
     * @param perSecond events per second
     * @param low lower bound of its 95% interval, NaN where there is none
     * @param high upper bound, NaN where there is none
     * @param n how many intervals the rate is taken from, 0 where only the mean was kept
     */
    ExitRateView(String during, String level, String host, String event, double perSecond, double low, double high,
            int n) {
        this.during = during;
        this.level = level;
        this.host = host;
        this.event = event;
        this.perSecond = perSecond;
        this.low = low;
        this.high = high;
        this.n = n;
    }

    /**
     * What the page calls a kvm_stat event: the reason of {@code kvm_exit(EPT_VIOLATION)}, a nested
     * event ({@code kvm_nested_vmexit}) as it is, or null for events that are not exits by reason
     * ({@code kvm_entry}, the {@code kvm_exit} total).
     */
    static String event(String kvmStatEvent) {
        Matcher reason = EXIT_REASON.matcher(kvmStatEvent);
        if (reason.matches()) {
            return reason.group(1);
        }
        return KvmStatCapture.NESTED_EVENTS.contains(kvmStatEvent) ? kvmStatEvent : null;
    }

    /** The measurement the exits were counted during, or empty for a capture of its own. */
    public String getDuring() {
        return during;
    }

    public String getLevel() {
        return level;
    }

    public String getHost() {
        return host;
    }

    /** The exit reason ({@code EPT_VIOLATION}) or nested event ({@code kvm_nested_vmexit}). */
    public String getEvent() {
        return event;
    }

    /** Events per second: the median over the capture's intervals where they were kept, else the mean. */
    public String getPerSecond() {
        return Figures.format(perSecond);
    }

    /** The 95% interval of the mean rate, or a dash where only the mean was kept. */
    public String getInterval() {
        return Figures.interval(low, high);
    }

    public double getPerSecondValue() {
        return perSecond;
    }

    /** How many intervals the rate comes from; 0 where only the mean was kept. */
    public int getN() {
        return n;
    }
}
