package io.github.nestedvirt.bench;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.CommandTimeoutException;
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
 * How long {@code guestfish -a /dev/null run} takes: the launch of the libguestfs appliance, a
 * small qemu guest, on the measured host (seed plan item 4).
 *
 * <p>The first launch builds the appliance cache, so warm-up runs are made first and flagged. The
 * first warm-up run (or, without warm-ups, an extra run before the measured ones) is made with
 * {@code -v} to record whether the appliance ran under KVM or TCG as the attribute
 * {@code accelerator}.
 *
 * <p>A launch that outlives its timeout (the appliance never answered) is ended and, when the
 * parameters allow, made again: such hangs are not samples, but they are counted in the attribute
 * {@code hungLaunches}, and the last one's output is kept in {@code lastHang}: within
 * {@code retriesOnHang} a hang is flagged in the result instead of failing the measurement.
 */
public final class GuestfishLaunch {

    public static final String BENCHMARK = "guestfish-launch";
    /** Attribute: how many launches hung and were ended (not samples). */
    public static final String HUNG_LAUNCHES = "hungLaunches";
    /** Attribute, only after a hang: which launch hung last, and the end of its output. */
    public static final String LAST_HANG = "lastHang";

    private final Parameters parameters;
    private final StartLine startLine;

    /**
     * @param warmups launches made first and left out of statistics (the first builds the appliance cache)
     * @param runs measured launches at least
     * @param maxRuns measured launches at most, when the spread asks for more
     * @param backend {@code LIBGUESTFS_BACKEND} (e.g. {@code direct}, {@code libvirt}), or null to leave it unset
     * @param backendSettings {@code LIBGUESTFS_BACKEND_SETTINGS} (e.g. {@code force_tcg}), or null to leave it unset
     * @param appliance {@code LIBGUESTFS_PATH}: the directory of a fixed appliance (made by
     *     {@code libguestfs-make-fixed-appliance}) on the measured host, or null for the one supermin
     *     builds there. On a slow host (an L1 under TCG) building one takes minutes and a tmpfs
     *     {@code /var/tmp} would hold its 700 MB in memory.
     * @param runTimeout how long one launch may take before it is ended
     * @param retriesOnHang how many hung launches are made again before the measurement fails
     */
    public record Parameters(int warmups, int runs, int maxRuns, String backend, String backendSettings,
            String appliance, Duration runTimeout, int retriesOnHang) {

        public Parameters {
            if (warmups < 0) {
                throw new IllegalArgumentException("warmups: must be 0 or more, got " + warmups);
            }
            new RunCountPolicy(runs, maxRuns, RunCountPolicy.DEFAULT_RSD_THRESHOLD);
            if (backend != null && backend.isBlank()) {
                throw new IllegalArgumentException("backend: must not be blank; leave it out to use the default");
            }
            if (backendSettings != null && backendSettings.isBlank()) {
                throw new IllegalArgumentException(
                        "backendSettings: must not be blank; leave it out to use the default");
            }
            if (appliance != null && !appliance.startsWith("/")) {
                throw new IllegalArgumentException("appliance: must be an absolute directory on the measured host, got '"
                        + appliance + "'");
            }
            if (runTimeout == null || runTimeout.isNegative() || runTimeout.isZero()) {
                throw new IllegalArgumentException("timeoutSeconds: must be a positive number of seconds, got "
                        + (runTimeout == null ? null : runTimeout.toSeconds()));
            }
            if (retriesOnHang < 0) {
                throw new IllegalArgumentException("retriesOnHang: must be 0 or more, got " + retriesOnHang);
            }
        }

        /** The seed plan: 10 launches after 1 warm-up, libguestfs defaults, 10 minutes per launch. */
        public static Parameters defaults() {
            return fromPlan(null, null, null, null, null, null, null, null);
        }

        /** The keys of a plan entry (and of a Pipeline step); every key is optional. */
        @JsonCreator
        public static Parameters fromPlan(
                @JsonPropertyDescription("Launches made first and not counted (the first builds the"
                        + " appliance cache). Default: 1.")
                @JsonProperty("warmups") Integer warmups,
                @JsonPropertyDescription("Measured launches always made. Default: 10.")
                @JsonProperty("runs") Integer runs,
                @JsonPropertyDescription("Cap on measured launches while the times vary by 2.5% or more."
                        + " Default: 2 x runs.")
                @JsonProperty("maxRuns") Integer maxRuns,
                @JsonPropertyDescription("LIBGUESTFS_BACKEND, e.g. direct or libvirt. Default: unset.")
                @JsonProperty("backend") String backend,
                @JsonPropertyDescription("LIBGUESTFS_BACKEND_SETTINGS, e.g. force_tcg where KVM is"
                        + " unusable. Default: unset.")
                @JsonProperty("backendSettings") String backendSettings,
                @JsonPropertyDescription("LIBGUESTFS_PATH: directory of a fixed appliance on the measured host"
                        + " (libguestfs-make-fixed-appliance), so that a slow host does not build its own."
                        + " Default: unset (supermin builds and caches one).")
                @JsonProperty("appliance") String appliance,
                @JsonPropertyDescription("How long one launch may take. Default: 600.")
                @JsonProperty("timeoutSeconds") Integer timeoutSeconds,
                @JsonPropertyDescription("Launches that hang (outlive timeoutSeconds) made again before the"
                        + " measurement fails; each is counted in the attribute hungLaunches. Default: 0.")
                @JsonProperty("retriesOnHang") Integer retriesOnHang) {
            int min = runs == null ? 10 : runs;
            return new Parameters(warmups == null ? 1 : warmups, min, maxRuns == null ? 2 * min : maxRuns, backend,
                    backendSettings, appliance, Duration.ofSeconds(timeoutSeconds == null ? 600 : timeoutSeconds),
                    retriesOnHang == null ? 0 : retriesOnHang);
        }

        public RunCountPolicy policy() {
            return new RunCountPolicy(runs, maxRuns, RunCountPolicy.DEFAULT_RSD_THRESHOLD);
        }
    }

    public GuestfishLaunch(Parameters parameters) {
        this(parameters, StartLine.alone());
    }

    /** The benchmark in one of several hosts that run it at once ({@link Together}). */
    public GuestfishLaunch(Parameters parameters, StartLine startLine) {
        this.parameters = parameters;
        this.startLine = startLine;
    }

    /** Launches the appliance repeatedly on {@code host}; one measurement, metric {@code seconds}. */
    public Measurement measure(Host host, Level level, Progress progress) throws HostException, InterruptedException {
        AtomicReference<String> accelerator = new AtomicReference<>();
        Hangs hangs = new Hangs();
        if (parameters.warmups() == 0) {
            progress.info("guestfish: one verbose launch to find the accelerator");
            accelerator.set(GuestfishAccelerator.parse(launch(host, true, 0, hangs, progress).log()));
        }
        List<Sample> samples = Benchmarks.repeat(host, BENCHMARK, parameters.warmups(), parameters.policy(),
                startLine, progress, index -> {
                    boolean verbose = index == 1 && accelerator.get() == null;
                    Launch launch = launch(host, verbose, index, hangs, progress);
                    if (verbose) {
                        accelerator.set(GuestfishAccelerator.parse(launch.log()));
                    }
                    return launch.seconds();
                });
        Map<String, String> variant = new LinkedHashMap<>();
        if (parameters.backend() != null) {
            variant.put("backend", parameters.backend());
        }
        if (parameters.backendSettings() != null) {
            variant.put("backendSettings", parameters.backendSettings());
        }
        if (parameters.appliance() != null) {
            variant.put("appliance", parameters.appliance());
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(GuestfishAccelerator.ATTRIBUTE, accelerator.get());
        attributes.put("warmups", Integer.toString(parameters.warmups()));
        attributes.put(HUNG_LAUNCHES, Integer.toString(hangs.count));
        if (hangs.last != null) {
            attributes.put(LAST_HANG, hangs.last);
        }
        return new Measurement(BENCHMARK, "seconds", level, host.name(), variant, "s", Better.LOWER, samples,
                attributes);
    }

    /** One launch: the seconds it took and its stderr (the verbose log when asked for). */
    private record Launch(double seconds, String log) {
    }

    /** The hung launches of one measurement. */
    private static final class Hangs {
        int count;
        String last;
    }

    /** {@link #launchOnce}, made again after a hang while {@code retriesOnHang} allows. */
    private Launch launch(Host host, boolean verbose, int index, Hangs hangs, Progress progress)
            throws HostException, InterruptedException {
        while (true) {
            try {
                return launchOnce(host, verbose, index);
            } catch (CommandTimeoutException e) {
                hangs.count++;
                hangs.last = "launch " + index + " ended after " + parameters.runTimeout().toSeconds()
                        + " s; its last output:\n" + e.lastOutput();
                if (hangs.count > parameters.retriesOnHang()) {
                    throw new BenchmarkFailedException(host.name(), "guestfish launch " + index + " hung: no answer"
                            + " from the appliance within " + parameters.runTimeout().toSeconds() + " s (timeoutSeconds),"
                            + " hung launches " + hangs.count + ", retriesOnHang " + parameters.retriesOnHang()
                            + "; its last output:\n" + e.lastOutput(), e);
                }
                progress.info("guestfish: launch " + index + " hung for " + parameters.runTimeout().toSeconds()
                        + " s and was ended; making it again (hang " + hangs.count + ", retriesOnHang "
                        + parameters.retriesOnHang() + ")");
            }
        }
    }

    private Launch launchOnce(Host host, boolean verbose, int index) throws HostException, InterruptedException {
        List<String> words = new ArrayList<>(List.of("env"));
        if (parameters.backend() != null) {
            words.add("LIBGUESTFS_BACKEND=" + parameters.backend());
        }
        if (parameters.backendSettings() != null) {
            words.add("LIBGUESTFS_BACKEND_SETTINGS=" + parameters.backendSettings());
        }
        if (parameters.appliance() != null) {
            words.add("LIBGUESTFS_PATH=" + parameters.appliance());
        }
        words.add("guestfish");
        if (verbose) {
            words.add("-v");
        }
        words.addAll(List.of("-a", "/dev/null", "run"));
        CommandResult result = host.run(HostTiming.wrap(Shell.command(words)), parameters.runTimeout());
        HostTiming.Timing timing = HostTiming.parse(result, host.name(), "guestfish launch " + index);
        if (timing.exitStatus() != 0) {
            throw new BenchmarkFailedException(host.name(), "guestfish launch " + index + " failed with exit status "
                    + timing.exitStatus() + " (is libguestfs installed, and may this user run qemu?):\n"
                    + Tails.of(result.stderr(), 20));
        }
        return new Launch(timing.seconds(), result.stderr());
    }
}
