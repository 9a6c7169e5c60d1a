package io.github.nestedvirt.cli;

import io.github.nestedvirt.plan.Plan;
import io.github.nestedvirt.plan.PlanReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nvmx bench ...}: one benchmark on one host, without writing a plan. Each subcommand
 * builds a one-entry plan from its options, so values are checked exactly as in a plan file.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs one benchmark of the plan on this machine or on an SSH host, and stores it as a run.",
        subcommands = {BenchCommand.Guestfish.class, BenchCommand.Io.class, BenchCommand.Kernel.class,
            BenchCommand.KvmUnitTests.class, BenchCommand.Net.class})
final class BenchCommand {

    /** Options every benchmark has: where, how often, where results go. */
    abstract static class Single implements Callable<Integer> {

        @Mixin
        HostOptions host;

        @Mixin
        ResultOptions results;

        @Option(names = "--warmups", paramLabel = "N", description = "Runs made first and not counted.")
        Integer warmups;

        @Option(names = "--runs", paramLabel = "N", description = "Measured runs always made.")
        Integer runs;

        @Option(names = "--max-runs", paramLabel = "N",
                description = "Cap on runs while the samples vary by 2.5%% or more (Phoronix rule). Default: 2 x runs.")
        Integer maxRuns;

        /** The benchmark's plan keys, without the host and repetition keys. */
        abstract Map<String, Object> entry();

        abstract String type();

        /** Plan keys naming the hosts this benchmark uses. */
        Map<String, Object> hostKeys() {
            return Map.of("host", host.targetId());
        }

        @Override
        public Integer call() throws Exception {
            Map<String, Object> benchmark = new LinkedHashMap<>();
            benchmark.put("type", type());
            benchmark.putAll(hostKeys());
            putIfSet(benchmark, "warmups", warmups);
            putIfSet(benchmark, "runs", runs);
            putIfSet(benchmark, "maxRuns", maxRuns);
            benchmark.putAll(entry());
            Map<String, Object> plan = new LinkedHashMap<>();
            plan.put("name", "bench " + type());
            plan.put("hosts", host.hosts());
            plan.put("benchmarks", List.of(benchmark));
            Plan built = new PlanReader().fromMap(plan, "command line");
            return results.execute(built);
        }

        static void putIfSet(Map<String, Object> entry, String key, Object value) {
            if (value != null) {
                entry.put(key, value);
            }
        }
    }

    @Command(name = "guestfish", mixinStandardHelpOptions = true,
            description = "Seed item 4: times 'guestfish -a /dev/null run' (libguestfs appliance launch).")
    static final class Guestfish extends Single {

        @Option(names = "--backend", paramLabel = "NAME", description = "LIBGUESTFS_BACKEND, e.g. direct.")
        String backend;

        @Option(names = "--backend-settings", paramLabel = "SETTINGS",
                description = "LIBGUESTFS_BACKEND_SETTINGS, e.g. force_tcg where KVM is unusable.")
        String backendSettings;

        @Option(names = "--appliance", paramLabel = "DIR", description = "LIBGUESTFS_PATH: a fixed appliance "
                + "(libguestfs-make-fixed-appliance) on the measured host, so that a slow host (an L1 under TCG) "
                + "does not build its own.")
        String appliance;

        @Option(names = "--timeout", paramLabel = "SECONDS",
                description = "How long one launch may take before it is ended as hung. Default: 600.")
        Integer timeout;

        @Option(names = "--retries-on-hang", paramLabel = "N", description = "Hung launches made again before the "
                + "benchmark fails; each is counted in the result (hungLaunches). Default: 0.")
        Integer retriesOnHang;

        @Override
        String type() {
            return "guestfish";
        }

        @Override
        Map<String, Object> entry() {
            Map<String, Object> entry = new LinkedHashMap<>();
            putIfSet(entry, "backend", backend);
            putIfSet(entry, "backendSettings", backendSettings);
            putIfSet(entry, "appliance", appliance);
            putIfSet(entry, "timeoutSeconds", timeout);
            putIfSet(entry, "retriesOnHang", retriesOnHang);
            return entry;
        }
    }

    @Command(name = "io", mixinStandardHelpOptions = true,
            description = "Seed item 3: times 'find PATHS -xdev -type f -exec sha256sum {} +' and reports files, "
                    + "bytes and throughput.")
    static final class Io extends Single {

        @Option(names = "--path", paramLabel = "DIR", description = "Tree to hash; repeatable. Default: /.")
        List<String> paths;

        @Option(names = "--cross-filesystems", description = "Leave out -xdev: also hash mounted file systems.")
        boolean crossFilesystems;

        @Option(names = "--drop-caches", description = "Drop the page cache before each run (root on the host).")
        boolean dropCaches;

        @Override
        String type() {
            return "io";
        }

        @Override
        Map<String, Object> entry() {
            Map<String, Object> entry = new LinkedHashMap<>();
            putIfSet(entry, "paths", paths);
            entry.put("xdev", !crossFilesystems);
            entry.put("dropCaches", dropCaches);
            return entry;
        }
    }

    @Command(name = "kernel", mixinStandardHelpOptions = true,
            description = "Seed item 1: times a Linux kernel build on the host, 'make clean' between builds.")
    static final class Kernel extends Single {

        @Option(names = "--source", required = true, paramLabel = "TARBALL|URL|DIR",
                description = "On the host: a kernel tarball, an http(s) URL it downloads, or an unpacked tree.")
        String source;

        @Option(names = "--work-dir", paramLabel = "DIR", description = "Where to unpack and build. Default: /var/tmp/nvmx-kernel.")
        String workDir;

        @Option(names = "--config", paramLabel = "CONFIG",
                description = "tinyconfig, defconfig (default), allnoconfig, or the path of a .config on the host.")
        String config;

        @Option(names = "--keep-debug", description = "Build with the configuration's debug options (off by default).")
        boolean keepDebug;

        @Option(names = "--jobs", paramLabel = "N", description = "make -j. Default: the host's CPU count.")
        Integer jobs;

        @Option(names = "--drop-caches", description = "Drop the page cache before each build (root on the host).")
        boolean dropCaches;

        @Option(names = "--target", paramLabel = "TARGET",
                description = "Build only this make target or directory (e.g. prepare, lib/); repeatable. "
                        + "Default: the whole kernel.")
        List<String> targets;

        @Override
        String type() {
            return "kernel";
        }

        @Override
        Map<String, Object> entry() {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("source", source);
            putIfSet(entry, "workDir", workDir);
            putIfSet(entry, "config", config);
            entry.put("debugOff", !keepDebug);
            putIfSet(entry, "jobs", jobs);
            entry.put("dropCaches", dropCaches);
            putIfSet(entry, "targets", targets);
            return entry;
        }
    }

    @Command(name = "kvm-unit-tests", mixinStandardHelpOptions = true,
            description = {"Seed item 0: gets, builds (./configure && make) and runs the KVM unit tests on the host.",
                "Every test's PASS/FAIL/SKIP/timeout is kept; JUnit XML goes to RESULTS/RUN_ID/junit/. "
                        + "Run it where /dev/kvm works (L1, so that its test guests are L2s)."})
    static final class KvmUnitTests extends Single {

        @Option(names = "--source", required = true, paramLabel = "GIT_URL|TARBALL|URL|DIR",
                description = "On the host: a git URL, a tarball path or http(s) URL, or the suite's directory.")
        String source;

        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Where to copy, build and run it. Default: /var/tmp/nvmx-kvm-unit-tests.")
        String workDir;

        @Option(names = "--group", paramLabel = "GROUP",
                description = "run_tests.sh -g group, e.g. vmx (the runner takes one). Default: every test.")
        List<String> groups;

        @Option(names = "--test", paramLabel = "NAME",
                description = "A test of unittests.cfg by name, e.g. svm_npt; repeatable. Default: every test "
                        + "(of the groups).")
        List<String> tests;

        @Option(names = "--tap", negatable = true, description = "Ask the runner for TAP (-t). Default: off, the "
                + "runner's own lines, which also keep its SKIPs and tests that die without a FAIL line.")
        boolean tap;

        @Option(names = "--accel", paramLabel = "kvm|tcg",
                description = "kvm (default; refused where KVM does not work) or tcg (QEMU's emulation).")
        String accel;

        @Option(names = "--test-timeout", paramLabel = "SECONDS", description = "TIMEOUT per test. Default: 90.")
        Integer testTimeout;

        @Override
        String type() {
            return "kvm-unit-tests";
        }

        @Override
        Map<String, Object> entry() {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("source", source);
            putIfSet(entry, "workDir", workDir);
            putIfSet(entry, "groups", groups);
            putIfSet(entry, "tests", tests);
            entry.put("tap", tap);
            putIfSet(entry, "accel", accel);
            putIfSet(entry, "testTimeoutSeconds", testTimeout);
            return entry;
        }
    }

    @Command(name = "net", mixinStandardHelpOptions = true,
            description = {"Seed item 3: network throughput with iperf3 (or netperf).",
                "The client runs on the host given by --ssh (the measured level), the server on this machine; "
                        + "without --ssh both run here over loopback."})
    static final class Net extends Single {

        @Option(names = "--address", paramLabel = "ADDRESS",
                description = "This machine's address as the client sees it. Default: 127.0.0.1.")
        String address;

        @Option(names = "--tool", paramLabel = "TOOL", description = "iperf3 (default) or netperf.")
        String tool;

        @Option(names = "--test", paramLabel = "TEST", description = "stream (default) or rr (request/response, netperf only).")
        String test;

        @Option(names = "--seconds", paramLabel = "N", description = "Length of each run. Default: 10.")
        Integer seconds;

        @Option(names = "--port", paramLabel = "PORT", description = "Server port. Default: the tool's.")
        Integer port;

        @Override
        String type() {
            return "net";
        }

        @Override
        Map<String, Object> hostKeys() {
            return Map.of("server", HostOptions.LOCAL, "client", host.targetId());
        }

        @Override
        Map<String, Object> entry() {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("address", address == null ? "127.0.0.1" : address);
            putIfSet(entry, "tool", tool);
            putIfSet(entry, "test", test);
            putIfSet(entry, "seconds", seconds);
            putIfSet(entry, "port", port);
            return entry;
        }
    }
}
