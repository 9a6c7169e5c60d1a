package io.github.nestedvirt.bench;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.host.Tails;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.RunCountPolicy;
import io.github.nestedvirt.result.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compiles a Linux kernel on the measured host, the CPU-intensive test of the seed plan (item 1).
 *
 * <p>Once, before any timing: fetch (URL) and extract the source (or use an existing tree),
 * configure it in {@code WORK/build} (an out-of-tree build, {@code O=}, so an existing tree is not
 * touched), switch debug options off. Then every run is {@code make clean} (untimed) and a timed
 * {@code make -jN}, its output kept in {@code WORK/build.log} on the host.
 */
public final class KernelBuild {

    public static final String BENCHMARK = "kernel-build";

    /** Configurations {@code make} can generate; anything else must be a path to a {@code .config} file. */
    public static final Set<String> GENERATED_CONFIGS = Set.of("tinyconfig", "defconfig", "allnoconfig");

    /** Options that make a build much slower and are not what the seed plan measures. */
    static final List<String> DEBUG_OPTIONS = List.of("DEBUG_INFO", "DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT",
            "DEBUG_INFO_DWARF4", "DEBUG_INFO_DWARF5", "DEBUG_INFO_BTF", "DEBUG_INFO_REDUCED", "KASAN", "KCSAN",
            "UBSAN", "KCOV", "GCOV_KERNEL", "PROVE_LOCKING", "LOCKDEP", "DEBUG_KMEMLEAK", "DEBUG_PAGEALLOC");

    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\S*");

    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./-]*");

    private final Parameters parameters;
    private final StartLine startLine;

    /**
     * @param source an {@code http(s)://} URL of a tarball, a path on the host of a tarball
     *     ({@code .tar}, {@code .tar.xz}, {@code .tar.gz}, {@code .tgz}, ...), or a path of an unpacked source tree
     * @param workDir a directory on the host for the extracted source, the build and its log
     * @param config {@code tinyconfig}, {@code defconfig}, {@code allnoconfig}, or a path on the host of a {@code .config}
     * @param debugOff switch {@link #DEBUG_OPTIONS} off before building
     * @param jobs {@code make -j}; 0 for the number of CPUs of the host ({@code nproc})
     * @param dropCaches before each run, write back and drop the page cache (needs root)
     * @param warmups builds made first and left out of statistics
     * @param runs measured builds at least
     * @param maxRuns measured builds at most
     * @param prepareTimeout how long download, extraction and configuration may take
     * @param runTimeout how long one build may take
     * @param targets what each timed {@code make} builds, e.g. {@code prepare} or a directory such as
     *     {@code lib/}; empty for the whole kernel (make's default target)
     */
    public record Parameters(String source, String workDir, String config, boolean debugOff, int jobs,
            boolean dropCaches, int warmups, int runs, int maxRuns, Duration prepareTimeout, Duration runTimeout,
            List<String> targets) {

        public Parameters {
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("source: give a tarball URL, a tarball path or a source tree path");
            }
            if (!isUrl(source) && !source.startsWith("/")) {
                throw new IllegalArgumentException("source: must be an http(s) URL or an absolute path, got '"
                        + source + "'");
            }
            if (workDir == null || !workDir.startsWith("/") || workDir.equals("/")) {
                throw new IllegalArgumentException("workDir: must be an absolute directory other than /, got '"
                        + workDir + "'");
            }
            if (config == null || !GENERATED_CONFIGS.contains(config) && !config.startsWith("/")) {
                throw new IllegalArgumentException("config: must be tinyconfig, defconfig, allnoconfig or an "
                        + "absolute path of a .config file, got '" + config + "'");
            }
            if (jobs < 0) {
                throw new IllegalArgumentException("jobs: must be 0 (one per CPU) or more, got " + jobs);
            }
            if (warmups < 0) {
                throw new IllegalArgumentException("warmups: must be 0 or more, got " + warmups);
            }
            new RunCountPolicy(runs, maxRuns, RunCountPolicy.DEFAULT_RSD_THRESHOLD);
            if (prepareTimeout == null || prepareTimeout.isNegative() || prepareTimeout.isZero()) {
                throw new IllegalArgumentException("prepareTimeout: must be a positive duration, got " + prepareTimeout);
            }
            if (runTimeout == null || runTimeout.isNegative() || runTimeout.isZero()) {
                throw new IllegalArgumentException("runTimeout: must be a positive duration, got " + runTimeout);
            }
            targets = targets == null ? List.of() : List.copyOf(targets);
            for (String target : targets) {
                // a word starting with '-' would be read by make as an option, not a target
                if (!TARGET.matcher(target).matches()) {
                    throw new IllegalArgumentException("targets: '" + target + "' is not a make target or kernel "
                            + "directory (letters, digits, '_', '.', '/', '-', not starting with '-')");
                }
            }
        }

        /** The whole kernel: make's default target. */
        public Parameters(String source, String workDir, String config, boolean debugOff, int jobs,
                boolean dropCaches, int warmups, int runs, int maxRuns, Duration prepareTimeout, Duration runTimeout) {
            this(source, workDir, config, debugOff, jobs, dropCaches, warmups, runs, maxRuns, prepareTimeout,
                    runTimeout, List.of());
        }

        /** defconfig, debug off, one job per CPU, 3 builds without warm-up, caches kept. */
        public static Parameters defaults(String source, String workDir) {
            return fromPlan(source, workDir, null, null, null, null, null, null, null, null, null, null);
        }

        /** The keys of a plan entry (and of a Pipeline step); all but {@code source} are optional. */
        @JsonCreator
        public static Parameters fromPlan(
                @JsonPropertyDescription("The kernel source on the measured host: a tarball path, an"
                        + " http(s) URL of one, or an unpacked tree (absolute).")
                @JsonProperty(value = "source", required = true) String source,
                @JsonPropertyDescription("Absolute directory on the host to unpack and build in. Default:"
                        + " /var/tmp/nvmx-kernel.")
                @JsonProperty("workDir") String workDir,
                @JsonPropertyDescription("tinyconfig, defconfig, allnoconfig, or the absolute path of a"
                        + " .config on the host. Default: defconfig.")
                @JsonProperty("config") String config,
                @JsonPropertyDescription("Turn the configuration's debug options off before building. Default: true.")
                @JsonProperty("debugOff") Boolean debugOff,
                @JsonPropertyDescription("make -j; 0 for one job per CPU of the host. Default: 0.")
                @JsonProperty("jobs") Integer jobs,
                @JsonPropertyDescription("Drop the page cache before each build (needs root on the host)."
                        + " Default: false.")
                @JsonProperty("dropCaches") Boolean dropCaches,
                @JsonPropertyDescription("Builds made first and not counted. Default: 0.")
                @JsonProperty("warmups") Integer warmups,
                @JsonPropertyDescription("Measured builds always made. Default: 3.")
                @JsonProperty("runs") Integer runs,
                @JsonPropertyDescription("Cap on measured builds while the times vary by 2.5% or more."
                        + " Default: 2 x runs.")
                @JsonProperty("maxRuns") Integer maxRuns,
                @JsonPropertyDescription("How long fetching and unpacking the source may take. Default: 60.")
                @JsonProperty("prepareTimeoutMinutes") Integer prepareTimeoutMinutes,
                @JsonPropertyDescription("How long one build may take. Default: 360.")
                @JsonProperty("timeoutMinutes") Integer timeoutMinutes,
                @JsonPropertyDescription("make targets to build instead of the whole kernel, e.g. [prepare];"
                        + " they are part of the result's variant. Default: the whole kernel.")
                @JsonProperty("targets") List<String> targets) {
            int min = runs == null ? 3 : runs;
            return new Parameters(source, workDir == null ? "/var/tmp/nvmx-kernel" : workDir,
                    config == null ? "defconfig" : config, debugOff == null || debugOff, jobs == null ? 0 : jobs,
                    Boolean.TRUE.equals(dropCaches), warmups == null ? 0 : warmups, min,
                    maxRuns == null ? 2 * min : maxRuns,
                    Duration.ofMinutes(prepareTimeoutMinutes == null ? 60 : prepareTimeoutMinutes),
                    Duration.ofMinutes(timeoutMinutes == null ? 360 : timeoutMinutes), targets);
        }

        public RunCountPolicy policy() {
            return new RunCountPolicy(runs, maxRuns, RunCountPolicy.DEFAULT_RSD_THRESHOLD);
        }

        boolean isTree() {
            return !isUrl(source) && !source.matches(".*\\.(tar|tar\\.[a-z0-9]+|tgz|tbz2|txz)$");
        }

        private static boolean isUrl(String value) {
            return value.startsWith("http://") || value.startsWith("https://");
        }
    }

    public KernelBuild(Parameters parameters) {
        this(parameters, StartLine.alone());
    }

    /** The benchmark in one of several hosts that run it at once ({@link Together}). */
    public KernelBuild(Parameters parameters, StartLine startLine) {
        this.parameters = parameters;
        this.startLine = startLine;
    }

    /** Prepares the source once, then builds it repeatedly; one measurement, metric {@code seconds}. */
    public Measurement measure(Host host, Level level, Progress progress) throws HostException, InterruptedException {
        String work = parameters.workDir();
        String build = work + "/build";
        String log = work + "/build.log";
        String src = prepareSource(host, progress);
        String make = Shell.command("make", "-C", src, "O=" + build);

        progress.info("kernel-build: configuring (" + parameters.config() + ")");
        step(host, "mkdir -p " + Shell.quote(build), "creating the build directory");
        if (GENERATED_CONFIGS.contains(parameters.config())) {
            step(host, make + " " + parameters.config(), "make " + parameters.config());
        } else {
            step(host, Shell.command("cp", parameters.config(), build + "/.config") + " && " + make
                    + " olddefconfig", "config: using " + parameters.config());
        }
        if (parameters.debugOff()) {
            List<String> words = new ArrayList<>(List.of(src + "/scripts/config", "--file", build + "/.config"));
            DEBUG_OPTIONS.forEach(option -> words.addAll(List.of("--disable", option)));
            words.addAll(List.of("--enable", "DEBUG_INFO_NONE"));
            step(host, Shell.command(words) + " && " + make + " olddefconfig", "switching debug options off");
        }
        String version = parseKernelVersion(step(host, "make -s -C " + Shell.quote(src) + " kernelversion",
                "make kernelversion").stdout());
        int jobs = parameters.jobs() > 0 ? parameters.jobs()
                : Integer.parseInt(step(host, "nproc", "counting CPUs").stdout().strip());
        progress.info("kernel-build: Linux " + version + ", " + parameters.config() + ", -j" + jobs);

        String targets = parameters.targets().isEmpty() ? "" : " " + Shell.command(parameters.targets());
        if (!targets.isEmpty()) {
            progress.info("kernel-build: building only " + String.join(" ", parameters.targets()));
        }
        List<Sample> samples = Benchmarks.repeat(host, BENCHMARK, parameters.warmups(), parameters.policy(),
                startLine, progress, index -> {
                    step(host, make + " clean", "make clean");
                    if (parameters.dropCaches()) {
                        CommandResult drop = host.run("sync && echo 3 > /proc/sys/vm/drop_caches",
                                Duration.ofMinutes(10));
                        if (!drop.succeeded()) {
                            throw new BenchmarkFailedException(host.name(), "dropCaches: cannot write "
                                    + "/proc/sys/vm/drop_caches (needs root; or turn dropCaches off): "
                                    + Tails.of(drop.stderr(), 3));
                        }
                    }
                    CommandResult result = host.run(HostTiming.wrap(make + " -j" + jobs + targets + " > " + Shell.quote(log)
                            + " 2>&1"), parameters.runTimeout());
                    HostTiming.Timing timing = HostTiming.parse(result, host.name(), "kernel build " + index);
                    if (timing.exitStatus() != 0) {
                        CommandResult tail = host.run(Shell.command("tail", "-n", "40", log), Duration.ofMinutes(1));
                        throw new BenchmarkFailedException(host.name(), "kernel build " + index
                                + " failed with exit status " + timing.exitStatus() + "; the end of " + log + ":\n"
                                + Tails.of(tail.stdout(), 40));
                    }
                    return timing.seconds();
                });

        Map<String, String> variant = new LinkedHashMap<>();
        variant.put("config", parameters.config());
        variant.put("jobs", Integer.toString(jobs));
        if (!parameters.targets().isEmpty()) {
            // a partial build is a different measurement from a whole one
            variant.put("targets", String.join(" ", parameters.targets()));
        }
        Map<String, String> attributes = Map.of("kernelVersion", version, "config", parameters.config(),
                "jobs", Integer.toString(jobs), "debugOff", Boolean.toString(parameters.debugOff()),
                "dropCaches", Boolean.toString(parameters.dropCaches()), "buildDir", build);
        return new Measurement(BENCHMARK, "seconds", level, host.name(), variant, "s", Better.LOWER, samples,
                attributes);
    }

    /** The version {@code make -s kernelversion} printed: its last line that looks like one. */
    public static String parseKernelVersion(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> VERSION.matcher(l).matches()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no kernel version in the output of make kernelversion: '"
                    + output.strip() + "'");
        }
        return lines.get(lines.size() - 1);
    }

    /** Fetches and extracts the source when needed; returns the source tree's path on the host. */
    private String prepareSource(Host host, Progress progress) throws HostException, InterruptedException {
        if (parameters.isTree()) {
            step(host, Shell.command("test", "-f", parameters.source() + "/Makefile"),
                    "source: " + parameters.source() + " is not a kernel source tree (no Makefile)");
            return parameters.source();
        }
        String work = parameters.workDir();
        step(host, Shell.command("mkdir", "-p", work), "workDir: creating " + work);
        String tarball = parameters.source();
        if (!parameters.isTree() && tarball.startsWith("http")) {
            progress.info("kernel-build: downloading " + tarball);
            String target = work + "/linux-source.tar";
            step(host, "if command -v curl >/dev/null; then " + Shell.command("curl", "-fsSL", "-o", target, tarball)
                    + "; else " + Shell.command("wget", "-q", "-O", target, tarball) + "; fi",
                    "source: downloading " + tarball);
            tarball = target;
        }
        progress.info("kernel-build: extracting " + tarball);
        String src = work + "/src";
        step(host, Shell.command("rm", "-rf", src) + " && " + Shell.command("mkdir", "-p", src) + " && "
                + Shell.command("tar", "-xf", tarball, "-C", src, "--strip-components=1"),
                "source: extracting " + tarball);
        return src;
    }

    /** Runs one preparation step; a failure names the step and shows the end of its output. */
    private CommandResult step(Host host, String command, String what) throws HostException, InterruptedException {
        CommandResult result = host.run(command, parameters.prepareTimeout());
        if (!result.succeeded()) {
            throw new BenchmarkFailedException(host.name(), what + " failed with exit status " + result.exitStatus()
                    + ":\n" + Tails.of(result.stderr() + "\n" + result.stdout(), 20));
        }
        return result;
    }
}
