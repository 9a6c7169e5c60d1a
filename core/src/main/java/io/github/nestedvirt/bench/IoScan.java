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
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads and hashes every regular file under some paths: {@code find PATHS [-xdev] -type f -exec
 * sha256sum {} +}, timed on the host (seed plan item 3, I/O intensive).
 *
 * <p>Before the timed runs one pass with {@code wc -c} counts the files and bytes that can be read;
 * files the user may not read are counted as {@code permissionDenied} and left out of the bytes, so
 * the throughput (decimal MB/s = 10^6 bytes/s) is over what was really hashed. Without
 * {@code dropCaches} the runs after the first mostly read the page cache.
 */
public final class IoScan {

    public static final String BENCHMARK = "io-scan";

    private static final String DROP_CACHES = "sync && echo 3 > /proc/sys/vm/drop_caches";

    private final Parameters parameters;
    private final StartLine startLine;

    /**
     * @param paths where to look for files, e.g. {@code /} or {@code /usr}
     * @param xdev stay on the file system of each path ({@code find -xdev})
     * @param dropCaches before each run, write back and drop the page cache (needs root)
     * @param warmups runs made first and left out of statistics
     * @param runs measured runs at least
     * @param maxRuns measured runs at most
     * @param runTimeout how long one run may take
     */
    public record Parameters(List<String> paths, boolean xdev, boolean dropCaches, int warmups, int runs,
            int maxRuns, Duration runTimeout) {

        public Parameters {
            if (paths == null || paths.isEmpty()) {
                throw new IllegalArgumentException("paths: give at least one directory to scan, e.g. /usr");
            }
            paths = List.copyOf(paths);
            for (String path : paths) {
                if (!path.startsWith("/")) {
                    throw new IllegalArgumentException("paths: must be absolute, got '" + path + "'");
                }
            }
            if (warmups < 0) {
                throw new IllegalArgumentException("warmups: must be 0 or more, got " + warmups);
            }
            new RunCountPolicy(runs, maxRuns, RunCountPolicy.DEFAULT_RSD_THRESHOLD);
            if (runTimeout == null || runTimeout.isNegative() || runTimeout.isZero()) {
                throw new IllegalArgumentException("runTimeout: must be a positive duration, got " + runTimeout);
            }
        }

        /** The seed plan's {@code find / -xdev}: 1 warm-up and 3 runs, caches kept, 1 hour per run. */
        public static Parameters defaults() {
            return fromPlan(null, null, null, null, null, null, null);
        }

        /** The keys of a plan entry (and of a Pipeline step); every key is optional. */
        @JsonCreator
        public static Parameters fromPlan(
                @JsonPropertyDescription("Directories on the host whose files are hashed. Default: [/].")
                @JsonProperty("paths") List<String> paths,
                @JsonPropertyDescription("Stay on the file system of each path (find -xdev). Default: true.")
                @JsonProperty("xdev") Boolean xdev,
                @JsonPropertyDescription("Drop the page cache before each run (needs root on the host)."
                        + " Default: false.")
                @JsonProperty("dropCaches") Boolean dropCaches,
                @JsonPropertyDescription("Runs made first and not counted. Default: 1.")
                @JsonProperty("warmups") Integer warmups,
                @JsonPropertyDescription("Measured runs always made. Default: 3.")
                @JsonProperty("runs") Integer runs,
                @JsonPropertyDescription("Cap on measured runs while the times vary by 2.5% or more."
                        + " Default: 2 x runs.")
                @JsonProperty("maxRuns") Integer maxRuns,
                @JsonPropertyDescription("How long one run may take. Default: 3600.")
                @JsonProperty("timeoutSeconds") Integer timeoutSeconds) {
            int min = runs == null ? 3 : runs;
            return new Parameters(paths == null ? List.of("/") : paths, xdev == null || xdev,
                    Boolean.TRUE.equals(dropCaches), warmups == null ? 1 : warmups, min,
                    maxRuns == null ? 2 * min : maxRuns, Duration.ofSeconds(timeoutSeconds == null ? 3600 : timeoutSeconds));
        }

        public RunCountPolicy policy() {
            return new RunCountPolicy(runs, maxRuns, RunCountPolicy.DEFAULT_RSD_THRESHOLD);
        }
    }

    public IoScan(Parameters parameters) {
        this(parameters, StartLine.alone());
    }

    /** The benchmark in one of several hosts that run it at once ({@link Together}). */
    public IoScan(Parameters parameters, StartLine startLine) {
        this.parameters = parameters;
        this.startLine = startLine;
    }

    /** Two measurements: metric {@code seconds} (s, lower) and {@code throughput} (MB/s, higher). */
    public List<Measurement> measure(Host host, Level level, Progress progress)
            throws HostException, InterruptedException {
        checkPathsExist(host);
        progress.info("io-scan: counting files and bytes under " + String.join(" ", parameters.paths()));
        CommandResult sizing = host.run(find("wc", "-c"), parameters.runTimeout());
        IoScanOutput.Sizes sizes = IoScanOutput.parseSizes(sizing.stdout());
        if (sizes.files() == 0) {
            throw new BenchmarkFailedException(host.name(), "paths: no readable regular file under "
                    + String.join(" ", parameters.paths()) + ":\n" + Tails.of(sizing.stderr(), 10));
        }
        AtomicReference<IoScanOutput.Hashing> last = new AtomicReference<>();
        List<Sample> seconds = Benchmarks.repeat(host, BENCHMARK, parameters.warmups(), parameters.policy(),
                startLine, progress, index -> {
                    if (parameters.dropCaches()) {
                        dropCaches(host);
                    }
                    return hashOnce(host, last);
                });
        List<Sample> throughput = seconds.stream()
                .map(s -> new Sample(sizes.bytes() / 1e6 / s.value(), s.warmup())).toList();

        Map<String, String> variant = new LinkedHashMap<>();
        variant.put("paths", String.join(" ", parameters.paths()));
        variant.put("xdev", Boolean.toString(parameters.xdev()));
        variant.put("dropCaches", Boolean.toString(parameters.dropCaches()));
        Map<String, String> attributes = Map.of(
                "files", Long.toString(last.get().files()),
                "bytes", Long.toString(sizes.bytes()),
                "permissionDenied", Long.toString(last.get().permissionDenied()),
                "otherErrors", Long.toString(last.get().otherErrors()));
        return List.of(
                new Measurement(BENCHMARK, "seconds", level, host.name(), variant, "s", Better.LOWER, seconds,
                        attributes),
                new Measurement(BENCHMARK, "throughput", level, host.name(), variant, "MB/s", Better.HIGHER,
                        throughput, attributes));
    }

    private double hashOnce(Host host, AtomicReference<IoScanOutput.Hashing> last)
            throws HostException, InterruptedException {
        // sha256sum prints one line per file read; its complaints go to a file so they can be counted
        String hash = find("sha256sum") + " 2>\"$nvmx_err\" | wc -l | sed 's/^ */NVMX_HASHED /'";
        String script = "nvmx_err=$(mktemp) || exit 1; " + HostTiming.wrap(hash) + "; "
                + "echo \"NVMX_DENIED $(grep -c 'Permission denied' \"$nvmx_err\")\"; "
                + "echo \"NVMX_OTHER_ERRORS $(grep -vc 'Permission denied' \"$nvmx_err\")\"; "
                + "tail -n 20 \"$nvmx_err\" >&2; rm -f \"$nvmx_err\"";
        CommandResult result = host.run(script, parameters.runTimeout());
        // a scan whose shell or SSH session died says how, with its error output
        HostTiming.Timing timing = HostTiming.parse(result, host.name(), "io-scan");
        IoScanOutput.Hashing hashing;
        try {
            hashing = IoScanOutput.parseHashing(result.stdout());
        } catch (IllegalArgumentException e) {
            throw new BenchmarkFailedException(host.name(), "io-scan did not complete (" + e.getMessage() + "):\n"
                    + Tails.of(result.stderr(), 20), e);
        }
        if (hashing.files() == 0) {
            throw new BenchmarkFailedException(host.name(), "io-scan hashed no file:\n" + Tails.of(result.stderr(), 20));
        }
        last.set(hashing);
        return timing.seconds();
    }

    private String find(String... exec) {
        List<String> words = new ArrayList<>(List.of("find"));
        words.addAll(parameters.paths());
        if (parameters.xdev()) {
            words.add("-xdev");
        }
        words.addAll(List.of("-type", "f", "-exec"));
        words.addAll(List.of(exec));
        return Shell.command(words) + " {} +";
    }

    private void checkPathsExist(Host host) throws HostException, InterruptedException {
        for (String path : parameters.paths()) {
            CommandResult test = host.run(Shell.command("test", "-d", path), Duration.ofMinutes(1));
            if (!test.succeeded()) {
                throw new BenchmarkFailedException(host.name(),
                        "paths: " + path + " is not a directory on this host; give existing directories");
            }
        }
    }

    private void dropCaches(Host host) throws HostException, InterruptedException {
        CommandResult result = host.run(DROP_CACHES, Duration.ofMinutes(10));
        if (!result.succeeded()) {
            throw new BenchmarkFailedException(host.name(), "dropCaches: cannot write /proc/sys/vm/drop_caches "
                    + "(needs root on the measured host; or turn dropCaches off): " + Tails.of(result.stderr(), 3));
        }
    }
}
