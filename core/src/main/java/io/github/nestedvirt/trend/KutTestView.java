package io.github.nestedvirt.trend;

/** A kvm-unit-tests test that did not pass, with why: what a reader of the build page looks for first. */
public final class KutTestView {

    private final String level;
    private final String host;
    private final String name;
    private final String status;
    private final String detail;

    KutTestView(String level, String host, String name, String status, String detail) {
        this.level = level;
        this.host = host;
        this.name = name;
        this.status = status;
        this.detail = detail;
    }

    public String getLevel() {
        return level;
    }

    public String getHost() {
        return host;
    }

    /** The test's name in {@code unittests.cfg}, e.g. {@code vmx}. */
    public String getName() {
        return name;
    }

    /** FAIL, SKIP, TIMEOUT or XPASS. */
    public String getStatus() {
        return status;
    }

    /** Its counts or the reason, e.g. {@code /sys/module/kvm_intel/parameters/nested not equal to Y}. */
    public String getDetail() {
        return detail;
    }
}
