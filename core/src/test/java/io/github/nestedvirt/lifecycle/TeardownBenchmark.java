package io.github.nestedvirt.lifecycle;

import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.topology.OwnerTag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.libvirt.Connect;

/**
 * What the lifecycle itself costs: recording resources (two atomic, fsynced rewrites of
 * {@code topology.json} each), tearing them down, and reaping. On libvirt's test driver, and on
 * the system libvirtd ({@code qemu:///system}, define-only domains without disks) when one runs.
 * Not a test: it prints figures and asserts nothing.
 *
 * <p>Argument: number of L1-like groups (domain + volume + file), default 50.
 */
public final class TeardownBenchmark {

    private TeardownBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        LibvirtErrorOutput.silence();
        Path temp = Files.createTempDirectory("nvmx-teardown-benchmark");
        System.out.printf(Locale.ROOT, "%d groups; milliseconds in total and per resource%n", count);
        Connect test = TestDriver.open();
        try {
            measure(test, TestDriver.URI, "test", true, count, temp.resolve("test"));
        } finally {
            test.close();
        }
        if (Files.exists(Path.of("/run/libvirt/libvirt-sock"))) {
            Connect system = new Connect("qemu:///system");
            try {
                measure(system, "qemu:///system", "qemu", false, count, temp.resolve("system"));
            } finally {
                system.close();
            }
        }
    }

    private static void measure(Connect libvirt, String uri, String type, boolean withVolumes, int count, Path runDir)
            throws Exception {
        TopologyRecord record = TopologyRecord.open(runDir, "bench");
        int resources = 0;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String name = TestDomains.uniqueName("bench");
            if (withVolumes) {
                record.create(Resource.volume(uri, TestDriver.POOL, name + ".img", Level.L0), () -> {
                    TestDriver.createVolume(libvirt, name + ".img");
                    return null;
                });
                resources++;
            }
            Path file = runDir.resolve(name + ".log");
            record.create(Resource.file("local", file.toString(), Level.L0), () -> Files.writeString(file, "x"));
            record.create(Resource.domain(uri, name, Level.L1), () -> {
                libvirt.domainDefineXML(TestDomains.xml(type, name, new OwnerTag("bench", 1, "elsewhere",
                        java.time.Instant.now(), java.time.Instant.now().plus(Duration.ofHours(1))))).free();
                return null;
            });
            resources += 2;
        }
        long created = System.nanoTime();
        // Every domain here is tagged by another host and not expired: the reaper reads and keeps them all.
        int domains = Reaper.onThisMachine().reap(libvirt, true).size();
        long reaped = System.nanoTime();
        TeardownReport report = Teardown.fromThisMachine().run(record);
        long tornDown = System.nanoTime();
        if (!report.complete()) {
            throw new IllegalStateException(report.toText());
        }
        Teardown.fromThisMachine().run(TopologyRecord.read(runDir));
        long again = System.nanoTime();
        print(uri + " record+create", created - start, resources);
        print(uri + " reap --dry-run over " + domains + " domains", reaped - created, domains);
        print(uri + " teardown", tornDown - reaped, resources);
        print(uri + " second teardown (nothing left)", again - tornDown, resources);
    }

    private static void print(String what, long nanos, int per) {
        System.out.printf(Locale.ROOT, "%-55s %9.1f ms  %7.2f ms each%n", what, nanos / 1e6, nanos / 1e6 / per);
    }
}
