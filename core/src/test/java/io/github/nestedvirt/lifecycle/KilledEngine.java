package io.github.nestedvirt.lifecycle;

import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.topology.OwnerTag;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.libvirt.Connect;

/**
 * An engine process for the fault tests, started as a separate JVM: it creates resources through
 * a {@link Lifecycle} and stops at every stage, printing where it is and waiting for a line on
 * stdin, so that the test can kill it exactly there.
 *
 * <p>Arguments: {@code RUN_DIR FILE...} and optionally {@code --domain URI NAME}. For each
 * resource it prints {@code planned N} (recorded, not yet made), {@code made N} (exists, still
 * recorded as planned) and {@code created N} (exists and recorded), in that order.
 */
public final class KilledEngine {

    private static final BufferedReader STDIN = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private KilledEngine() {
    }

    public static void main(String[] args) throws Exception {
        LibvirtErrorOutput.silence();
        Path runDir = Path.of(args[0]);
        try (Lifecycle life = Lifecycle.open(runDir)) {
            int n = 0;
            for (int i = 1; i < args.length; i++) {
                int step = n++;
                if (args[i].equals("--domain")) {
                    String uri = args[++i];
                    String name = args[++i];
                    life.create(Resource.domain(uri, name, Level.L1), () -> {
                        stage("planned", step);
                        Connect libvirt = new Connect(uri);
                        try {
                            String run = life.record().run();
                            libvirt.domainDefineXML(TestDomains.xml("qemu", name,
                                    OwnerTag.forThisProcess(run, Duration.ofHours(1)))).free();
                        } finally {
                            libvirt.close();
                        }
                        stage("made", step);
                        return null;
                    });
                } else {
                    Path file = Path.of(args[i]);
                    life.create(Resource.file("local", file.toString(), Level.L0), () -> {
                        stage("planned", step);
                        Files.writeString(file, "made by " + ProcessHandle.current().pid());
                        stage("made", step);
                        return null;
                    });
                }
                stage("created", step);
            }
            stage("done", n);
        }
    }

    private static void stage(String name, int step) throws Exception {
        System.out.println(name + " " + step);
        System.out.flush();
        if (STDIN.readLine() == null) {
            throw new IllegalStateException("stdin closed at " + name + " " + step);
        }
    }
}
