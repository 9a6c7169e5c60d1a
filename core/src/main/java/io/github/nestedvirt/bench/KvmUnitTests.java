package io.github.nestedvirt.bench;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.github.nestedvirt.facts.KvmProbe;
import io.github.nestedvirt.facts.KvmStatus;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.host.Tails;
import io.github.nestedvirt.kut.KutFormat;
import io.github.nestedvirt.kut.KutJUnitXml;
import io.github.nestedvirt.kut.KutOutput;
import io.github.nestedvirt.kut.KutResult;
import io.github.nestedvirt.kut.KutStatus;
import io.github.nestedvirt.kut.KutTest;
import io.github.nestedvirt.output.UnreadableOutputException;
import io.github.nestedvirt.result.AtomicFile;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The upstream KVM unit tests (seed item 0) on the measured host: obtain the suite (git, tarball or a
 * directory already there), {@code ./configure && make} it there, run {@code ./run_tests.sh} for the
 * chosen groups, and keep every test's outcome through the {@code kut} parsers. Run it where
 * {@code /dev/kvm} works: in L1, its test guests are L2s, which is what the vmx group is about.
 */
public final class KvmUnitTests {

    public static final String BENCHMARK = "kvm-unit-tests";

    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern TEST = Pattern.compile("[A-Za-z0-9_.-]+");

    private final Parameters parameters;

    /**
     * @param source on the host: a git URL ({@code https://...git}, {@code git://...}), a tarball path
     *     or http(s) URL ({@code .tar.gz}, {@code .tar.xz}, ...), or a directory holding the suite
     * @param workDir a directory on the host for the copy, the build and the logs
     * @param groups the {@code run_tests.sh -g} group, e.g. {@code [vmx]} (the runner takes one); empty for
     *     every test
     * @param tests tests of {@code unittests.cfg} by name, handed to the runner as its arguments (with
     *     groups, only the named tests of those groups run); empty for every test of the groups
     * @param tap ask the runner for TAP ({@code -t}), which leaves out the runner's own SKIPs and tests
     *     that die without a FAIL line: the plain lines are the complete record
     * @param accel {@code kvm}, or {@code tcg} to run where KVM does not work (the vmx tests then test
     *     QEMU's emulation, not nesting)
     * @param testTimeoutSeconds the runner's {@code TIMEOUT} per test
     * @param buildTimeout how long fetching, configure and make may take
     * @param runTimeout how long the whole run may take
     */
    public record Parameters(String source, String workDir, List<String> groups, List<String> tests, boolean tap,
            String accel, int testTimeoutSeconds, Duration buildTimeout, Duration runTimeout) {

        public Parameters {
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("source: give a git URL, a tarball path or URL, or the suite's "
                        + "directory on the host");
            }
            if (!isUrl(source) && !source.startsWith("/")) {
                throw new IllegalArgumentException("source: must be a git or http(s) URL or an absolute path, got '"
                        + source + "'");
            }
            if (workDir == null || !workDir.startsWith("/") || workDir.equals("/")) {
                throw new IllegalArgumentException("workDir: must be an absolute directory other than /, got '"
                        + workDir + "'");
            }
            groups = groups == null ? List.of() : List.copyOf(groups);
            if (groups.size() > 1) {
                // run_tests.sh -g matches one word against a test's groups: "vmx,apic" would match nothing
                throw new IllegalArgumentException("groups: run_tests.sh runs one group at a time, got " + groups
                        + ": give one group, or name the tests with tests");
            }
            for (int i = 0; i < groups.size(); i++) {
                if (!GROUP.matcher(groups.get(i)).matches()) {
                    throw new IllegalArgumentException("groups[" + i + "]: '" + groups.get(i) + "' is not a group name "
                            + "of unittests.cfg, e.g. vmx");
                }
            }
            tests = tests == null ? List.of() : List.copyOf(tests);
            for (int i = 0; i < tests.size(); i++) {
                if (!TEST.matcher(tests.get(i)).matches()) {
                    throw new IllegalArgumentException("tests[" + i + "]: '" + tests.get(i) + "' is not a test name "
                            + "of unittests.cfg, e.g. vmx_apic_passthrough_thread");
                }
            }
            if (!"kvm".equals(accel) && !"tcg".equals(accel)) {
                throw new IllegalArgumentException("accel: must be kvm or tcg, got '" + accel + "'");
            }
            if (testTimeoutSeconds < 1) {
                throw new IllegalArgumentException("testTimeoutSeconds: must be at least 1, got " + testTimeoutSeconds);
            }
            if (buildTimeout == null || buildTimeout.isNegative() || buildTimeout.isZero()
                    || runTimeout == null || runTimeout.isNegative() || runTimeout.isZero()) {
                throw new IllegalArgumentException("buildTimeoutMinutes and timeoutMinutes: must be at least 1");
            }
        }

        /** The keys of a plan entry (and of {@code nvmx bench kvm-unit-tests}); all but {@code source} are optional. */
        @JsonCreator
        public static Parameters fromPlan(
                @JsonProperty(value = "source", required = true) @JsonPropertyDescription("Where the suite is, on "
                        + "the measured host: a git URL, a tarball path or http(s) URL, or the suite's directory "
                        + "(copied, never changed).") String source,
                @JsonProperty("workDir") @JsonPropertyDescription("Directory on the host for the copy, the build "
                        + "and the logs. Default: /var/tmp/nvmx-kvm-unit-tests.") String workDir,
                @JsonProperty("groups") @JsonPropertyDescription("The run_tests.sh group, e.g. [vmx]; the runner "
                        + "takes one. Default: every test.") List<String> groups,
                @JsonProperty("tests") @JsonPropertyDescription("Tests of unittests.cfg by name, e.g. [vmx, "
                        + "svm_npt]; with groups, only the named tests of those groups run. Default: every test of the groups.")
                        List<String> tests,
                @JsonProperty("tap") @JsonPropertyDescription("Ask the runner for TAP output (-t). TAP leaves "
                        + "out the runner's own SKIPs and tests that die without a FAIL line, and older runners "
                        + "do not know it. Default: false, the runner's own lines, the complete record.")
                        Boolean tap,
                @JsonProperty("accel") @JsonPropertyDescription("kvm, or tcg where KVM does not work (the vmx tests "
                        + "then test QEMU's emulation, not nesting). Default: kvm.") String accel,
                @JsonProperty("testTimeoutSeconds") @JsonPropertyDescription("The runner's TIMEOUT per test. "
                        + "Default: 90.") Integer testTimeoutSeconds,
                @JsonProperty("buildTimeoutMinutes") @JsonPropertyDescription("How long getting the suite, "
                        + "configure and make may take. Default: 30.") Integer buildTimeoutMinutes,
                @JsonProperty("timeoutMinutes") @JsonPropertyDescription("How long the whole run may take. "
                        + "Default: 120.") Integer timeoutMinutes) {
            return new Parameters(source, workDir == null ? "/var/tmp/nvmx-kvm-unit-tests" : workDir, groups, tests,
                    tap != null && tap, accel == null ? "kvm" : accel,
                    testTimeoutSeconds == null ? 90 : testTimeoutSeconds,
                    Duration.ofMinutes(buildTimeoutMinutes == null ? 30 : buildTimeoutMinutes),
                    Duration.ofMinutes(timeoutMinutes == null ? 120 : timeoutMinutes));
        }

        /** As above, without naming tests: every test of the groups. */
        public static Parameters fromPlan(String source, String workDir, List<String> groups, Boolean tap,
                String accel, Integer testTimeoutSeconds, Integer buildTimeoutMinutes, Integer timeoutMinutes) {
            return fromPlan(source, workDir, groups, null, tap, accel, testTimeoutSeconds, buildTimeoutMinutes,
                    timeoutMinutes);
        }

        /**
         * How the plan and results name what ran: {@code vmx}, {@code all}; named tests
         * as {@code N-tests} (their number: a variant stays one trend while the list is the same length).
         */
        public String groupsLabel() {
            List<String> parts = new ArrayList<>(groups);
            if (!tests.isEmpty()) {
                parts.add(tests.size() + "-tests");
            }
            return parts.isEmpty() ? "all" : String.join("+", parts);
        }

        boolean isGit() {
            return source.startsWith("git://") || source.endsWith(".git") || source.startsWith("git@");
        }

        boolean isTarball() {
            return source.matches(".*\\.(tar|tar\\.[a-z0-9]+|tgz|tbz2|txz)$");
        }

        private static boolean isUrl(String value) {
            return value.startsWith("http://") || value.startsWith("https://") || value.startsWith("git://")
                    || value.startsWith("git@");
        }
    }

    /**
     * What a run left: every test's outcome, and the counts as measurements.
     *
     * @param result the parsed runner output
     * @param measurements {@code passed}, {@code failed} and {@code skipped} tests, one sample each
     */
    public record Outcome(KutResult result, List<Measurement> measurements) {

        /** The outcome as JUnit XML, for Jenkins' {@code junit} step. */
        public void writeJUnit(String suite, Path file) throws IOException {
            ByteArrayOutputStream xml = new ByteArrayOutputStream();
            KutJUnitXml.write(result, suite, xml);
            AtomicFile.write(file, xml.toByteArray());
        }
    }

    public KvmUnitTests(Parameters parameters) {
        this.parameters = parameters;
    }

    /** Checks the host, gets and builds the suite, runs it once and reads every test's outcome. */
    public Outcome run(Host host, Level level, Progress progress) throws HostException, InterruptedException {
        requireTools(host);
        requireAccelerator(host, progress);
        String src = parameters.workDir() + "/src";
        String log = parameters.workDir() + "/build.log";
        progress.info("kvm-unit-tests: getting the suite from " + parameters.source());
        step(host, fetchCommand(src), "source: getting " + parameters.source(), parameters.buildTimeout());
        progress.info("kvm-unit-tests: ./configure && make on " + host.name());
        CommandResult build = host.run("cd " + Shell.quote(src) + " && { ./configure && make -j\"$(nproc)\"; } > "
                + Shell.quote(log) + " 2>&1", parameters.buildTimeout());
        if (!build.succeeded()) {
            CommandResult tail = host.run(Shell.command("tail", "-n", "30", log), Duration.ofMinutes(1));
            throw new BenchmarkFailedException(host.name(), "kvm-unit-tests: the build failed with exit status "
                    + build.exitStatus() + "; the end of " + log + ":\n" + Tails.of(tail.stdout(), 30));
        }
        List<String> runner = new ArrayList<>(List.of("./run_tests.sh"));
        if (!parameters.groups().isEmpty()) {
            runner.addAll(List.of("-g", parameters.groups().get(0)));
        }
        if (parameters.tap()) {
            runner.add("-t");
        }
        runner.addAll(parameters.tests());
        progress.info("kvm-unit-tests: " + String.join(" ", runner) + " (" + parameters.accel() + ")");
        String runLog = parameters.workDir() + "/run.log";
        CommandResult run = host.run("cd " + Shell.quote(src) + " && " + Shell.command("env", "ACCEL="
                + parameters.accel(), "TIMEOUT=" + parameters.testTimeoutSeconds() + "s") + " " + Shell.command(runner)
                + " 2>&1 | tee " + Shell.quote(runLog), parameters.runTimeout());
        KutResult result;
        try {
            result = KutOutput.parse(runLog + " on " + host.name(), run.stdout());
        } catch (UnreadableOutputException e) {
            throw new BenchmarkFailedException(host.name(), "kvm-unit-tests: " + e.getMessage() + "; the end of the "
                    + "runner's output:\n" + Tails.of(run.stdout() + "\n" + run.stderr(), 20));
        }
        result = withEveryNamedTest(result, runLog + " on " + host.name());
        return new Outcome(result, measurements(result, level, host.name()));
    }

    /**
     * Adds a failed entry for each named test the runner printed no line for, so that an output cut
     * short never reads as a shorter clean run. Only where every named test must have a line: without
     * groups (which leave out named tests of other groups) and without TAP (which leaves out the
     * runner's own SKIPs).
     */
    KutResult withEveryNamedTest(KutResult result, String log) {
        if (parameters.tests().isEmpty() || !parameters.groups().isEmpty() || parameters.tap()
                || result.format() != KutFormat.RUNNER || result.tests().isEmpty()) {
            return result;
        }
        List<KutTest> tests = new ArrayList<>(result.tests());
        for (String named : parameters.tests()) {
            if (tests.stream().noneMatch(test -> test.name().equals(named))) {
                tests.add(new KutTest(named, KutStatus.FAIL, "no outcome: the runner printed no line for it (it "
                        + "stopped before this test, or unittests.cfg has no test of this name); see " + log, null, 0));
            }
        }
        return new KutResult(result.format(), tests, result.checks(), result.summary());
    }

    /** Passed, failed (timeouts included) and skipped tests, as trend metrics. */
    List<Measurement> measurements(KutResult result, Level level, String hostName) {
        Map<String, String> variant = Map.of("groups", parameters.groupsLabel(), "accel", parameters.accel());
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("source", parameters.source());
        attributes.put("format", result.format().name().toLowerCase(java.util.Locale.ROOT));
        attributes.put("tests", Integer.toString(result.entries().size()));
        if (!parameters.tests().isEmpty()) {
            attributes.put("namedTests", String.join(" ", parameters.tests()));
        }
        attributes.put("timeouts", Long.toString(result.count(KutStatus.TIMEOUT)));
        String failed = names(result, List.of(KutStatus.FAIL, KutStatus.TIMEOUT, KutStatus.XPASS));
        if (!failed.isEmpty()) {
            attributes.put("failedTests", failed);
        }
        long nestedOff = result.entries().stream().filter(KutTest::skippedForNested).count();
        if (nestedOff > 0) {
            // the one skip reason that says the host, not the test, is at fault
            attributes.put("skippedBecauseNestedIsOff", Long.toString(nestedOff));
        }
        long failures = result.count(KutStatus.FAIL) + result.count(KutStatus.TIMEOUT) + result.count(KutStatus.XPASS);
        return List.of(
                count("passed", result.count(KutStatus.PASS) + result.count(KutStatus.XFAIL), Better.HIGHER, level,
                        hostName, variant, attributes),
                count("failed", failures, Better.LOWER, level, hostName, variant, attributes),
                count("skipped", result.count(KutStatus.SKIP), Better.LOWER, level, hostName, variant, attributes));
    }

    private static Measurement count(String metric, long value, Better better, Level level, String host,
            Map<String, String> variant, Map<String, String> attributes) {
        return new Measurement(BENCHMARK, metric, level, host, variant, "tests", better, List.of(Sample.of(value)),
                attributes);
    }

    private static String names(KutResult result, List<KutStatus> statuses) {
        return result.entries().stream().filter(test -> statuses.contains(test.status())).map(KutTest::name)
                .collect(Collectors.joining(", "));
    }

    /** The suite's sources in {@code src}, fetched afresh; a directory is copied, so it is never modified. */
    String fetchCommand(String src) {
        String fresh = Shell.command("rm", "-rf", src) + " && " + Shell.command("mkdir", "-p", src) + " && ";
        if (parameters.isGit()) {
            return Shell.command("rm", "-rf", src) + " && " + Shell.command("mkdir", "-p", parameters.workDir())
                    + " && " + Shell.command("git", "clone", "--depth", "1", parameters.source(), src);
        }
        if (parameters.isTarball()) {
            String tarball = parameters.source();
            String download = "";
            if (tarball.startsWith("http")) {
                String target = parameters.workDir() + "/kvm-unit-tests.tar";
                download = Shell.command("mkdir", "-p", parameters.workDir()) + " && (if command -v curl >/dev/null; "
                        + "then " + Shell.command("curl", "-fsSL", "-o", target, tarball) + "; else "
                        + Shell.command("wget", "-q", "-O", target, tarball) + "; fi) && ";
                tarball = target;
            }
            return download + fresh + Shell.command("tar", "-xf", tarball, "-C", src, "--strip-components=1");
        }
        return Shell.command("test", "-x", parameters.source() + "/run_tests.sh") + " && " + fresh
                + Shell.command("cp", "-a", parameters.source() + "/.", src);
    }

    /** Every tool the steps need, named at once when missing. */
    private void requireTools(Host host) throws HostException, InterruptedException {
        List<String> tools = new ArrayList<>(List.of("make", "gcc", "tar", "qemu-system-x86_64"));
        if (parameters.isGit()) {
            tools.add("git");
        }
        CommandResult missing = host.run("for t in " + String.join(" ", tools) + "; do command -v \"$t\" >/dev/null "
                + "2>&1 || echo \"$t\"; done", Duration.ofMinutes(1)).orThrow(host.name());
        List<String> absent = missing.stdout().lines().map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (!absent.isEmpty()) {
            throw new BenchmarkFailedException(host.name(), "kvm-unit-tests: missing on this host: "
                    + String.join(", ", absent) + "; install them (Debian: build-essential, qemu-system-x86"
                    + (absent.contains("git") ? ", git" : "") + ")");
        }
    }

    /** With {@code accel: kvm}, a guest must really run under KVM here, or every result would be TCG's. */
    private void requireAccelerator(Host host, Progress progress) throws HostException, InterruptedException {
        if (parameters.accel().equals("tcg")) {
            progress.info("kvm-unit-tests: accel tcg on " + host.name() + ": the tests run under QEMU's emulation");
            return;
        }
        KvmStatus kvm = new KvmProbe(KvmProbe.DEFAULT_TIMEOUT).probe(host);
        if (!kvm.usable()) {
            throw new BenchmarkFailedException(host.name(), "kvm-unit-tests: no usable /dev/kvm on this host ("
                    + kvm.state() + (kvm.detail() == null ? "" : ": " + kvm.detail()) + "); run the suite on a level "
                    + "where KVM works (L1, so that its test guests are L2s), or set accel: tcg to run it under "
                    + "emulation, where the vmx tests do not test nesting");
        }
    }

    private static void step(Host host, String command, String what, Duration timeout)
            throws HostException, InterruptedException {
        CommandResult result = host.run(command, timeout);
        if (!result.succeeded()) {
            throw new BenchmarkFailedException(host.name(), what + " failed with exit status " + result.exitStatus()
                    + ":\n" + Tails.of(result.stderr() + "\n" + result.stdout(), 20));
        }
    }
}
