package io.github.nestedvirt.trend;

/** kvm-unit-tests on one host: how many tests passed, failed, were skipped and timed out. */
public final class KutResultView {

    private final String level;
    private final String host;
    private final String variant;
    private final int[] counts = new int[4];
    private String summary = "";

    KutResultView(String level, String host, String variant) {
        this.level = level;
        this.host = host;
        this.variant = variant;
    }

    void count(String metric, int n, String summaryLine) {
        switch (metric) {
            case "passed" -> counts[0] = n;
            case "failed" -> counts[1] = n;
            case "skipped" -> counts[2] = n;
            case "timeouts" -> counts[3] = n;
            default -> { } // a count a newer engine adds stays in the measurement table
        }
        if (summaryLine != null) {
            summary = summaryLine;
        }
    }

    public String getLevel() {
        return level;
    }

    public String getHost() {
        return host;
    }

    public String getVariant() {
        return variant;
    }

    public int getPassed() {
        return counts[0];
    }

    /** Failures, unexpected passes included. */
    public int getFailed() {
        return counts[1];
    }

    public int getSkipped() {
        return counts[2];
    }

    public int getTimeouts() {
        return counts[3];
    }

    /** kvm-unit-tests' own {@code SUMMARY:} line, when it printed one; empty otherwise. */
    public String getSummary() {
        return summary;
    }
}
