package io.github.nestedvirt.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SshHost} against real OpenSSH servers: l1 directly, l2 only through l1. */
class SshHostTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static SshTestBed bed;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServers() throws Exception {
        bed = SshTestBed.start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void l2IsNotReachableDirectlyButThroughL1() throws Exception {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(bed.l2Address(), 22), 3000);
            }
        }).isInstanceOf(IOException.class);

        try (SshHost l2 = SshHost.connect(bed.l2Via(bed.l1()))) {
            // sshd sets SSH_CONNECTION to "client-ip client-port server-ip server-port".
            String connection = l2.run("echo $SSH_CONNECTION", TIMEOUT).stdout();
            assertThat(connection.split(" ")[0]).isEqualTo(bed.l1LowerAddress());
            assertThat(connection.split(" ")[2]).isEqualTo(bed.l2Address());
            assertThat(l2.name()).isEqualTo("root@" + bed.l2Address() + ":22 via root@" + bed.l1Address() + ":22");
        }
    }

    @Test
    void threeHopChainWorks() throws Exception {
        // l1, then l2, then l1 again through its address on l2's network: deeper than two hops.
        SshTarget l2 = bed.l2Via(bed.l1());
        SshTarget l1AgainFromL2 = SshTarget.of("root", bed.l1LowerAddress(), 22, bed.ecdsaKey(), temp.resolve("deep_known_hosts"))
                .withHostKeyPolicy(HostKeyPolicy.RECORD_NEW).withVia(l2);
        try (SshConnections connections = new SshConnections()) {
            Host deep = connections.host(l1AgainFromL2);
            String connection = deep.run("echo $SSH_CONNECTION", TIMEOUT).stdout();
            assertThat(connection.split(" ")[0]).isEqualTo(bed.l2Address());
            assertThat(connection.split(" ")[2]).isEqualTo(bed.l1LowerAddress());
        }
    }

    @Test
    void unreachableTargetsNameTheAddressAndTheJumpHost() {
        SshTarget direct = SshTarget.of("root", bed.l2Address(), 22, bed.ecdsaKey(), bed.knownHosts())
                .withConnectTimeout(Duration.ofSeconds(3));
        assertThatThrownBy(() -> SshHost.connect(direct))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageContaining("cannot connect to " + bed.l2Address() + ":22");

        SshTarget closedPort = SshTarget.of("root", bed.l2Address(), 2222, bed.ecdsaKey(), bed.knownHosts())
                .withConnectTimeout(Duration.ofSeconds(3)).withVia(bed.l1());
        assertThatThrownBy(() -> SshHost.connect(closedPort))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageContaining("cannot connect to " + bed.l2Address() + ":2222 through jump host root@" + bed.l1Address());
    }

    @Test
    void reportsExitStatusAndStderrApart() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (SshHost l1 = SshHost.connect(bed.l1())) {
            CommandResult result = l1.run("echo out; echo 'to stderr' >&2; exit 3", TIMEOUT,
                    (stream, line) -> lines.add(stream + " " + line));
            assertThat(result.exitStatus()).isEqualTo(3);
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("to stderr\n");
            assertThat(lines).containsExactlyInAnyOrder("STDOUT out", "STDERR to stderr");
            assertThatThrownBy(() -> result.orThrow(l1.name()))
                    .isInstanceOf(CommandFailedException.class).hasMessageContaining("to stderr");
        }
    }

    @Test
    void tenMegabytesOfOutputArriveCompletelyOverTwoHops() throws Exception {
        try (SshHost l2 = SshHost.connect(bed.l2Via(bed.l1()))) {
            CommandResult result = l2.run("head -c 10485760 /dev/zero | tr '\\0' x", TIMEOUT);
            assertThat(result.exitStatus()).isZero();
            assertThat(result.stdout()).hasSize(10_485_760).matches("x+");
        }
    }

    @Test
    void timeoutEndsTheRemoteProcess() throws Exception {
        String sleeper = uniqueSleep();
        try (SshHost l2 = SshHost.connect(bed.l2Via(bed.l1()))) {
            assertThatThrownBy(() -> l2.run("echo booting; echo waiting for the appliance >&2; " + sleeper
                    + "; echo never", Duration.ofSeconds(1)))
                    .isInstanceOf(CommandTimeoutException.class).hasMessageContaining(bed.l2Address())
                    .hasMessageContaining("its last output:\nbooting\nwaiting for the appliance")
                    .hasMessageNotContaining("nvmx-pgid-");
            assertThat(processesLike(bed.l2Namespace(), sleeper)).isEmpty();
            assertThat(l2.run("echo still usable", TIMEOUT).stdout()).isEqualTo("still usable\n");
        }
    }

    @Test
    void timeoutEndsTheRemoteProcessAlsoWhereSetsidCannotWait() throws Exception {
        String sleeper = uniqueSleep();
        try (SshHost l1 = SshHost.connect(bed.l1())) {
            // The busybox fallback path, forced on the real OpenSSH server.
            l1.assumeSetsidCannotWait();
            assertThat(l1.run("echo fallback; echo err >&2", TIMEOUT))
                    .extracting(CommandResult::stdout, CommandResult::stderr).containsExactly("fallback\n", "err\n");
            assertThatThrownBy(() -> l1.run(sleeper + "; echo never", Duration.ofSeconds(1)))
                    .isInstanceOf(CommandTimeoutException.class);
            assertThat(processesLike(bed.l1Namespace(), sleeper)).isEmpty();
        }
    }

    @Test
    void interruptEndsTheRemoteProcess() throws Exception {
        String sleeper = uniqueSleep();
        try (SshHost l1 = SshHost.connect(bed.l1())) {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                try {
                    l1.run(sleeper, TIMEOUT);
                    outcome.set(new AssertionError("command finished although interrupted"));
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            runner.start();
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (processesLike(bed.l1Namespace(), sleeper).isEmpty() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertThat(processesLike(bed.l1Namespace(), sleeper)).as("remote sleep started").isNotEmpty();
            runner.interrupt();
            runner.join(TIMEOUT.toMillis());
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            assertThat(processesLike(bed.l1Namespace(), sleeper)).isEmpty();
        }
    }

    @Test
    void changedHostKeyIsRefusedEvenWhenRecordingNewKeys() throws Exception {
        Path knownHosts = temp.resolve("known_hosts");
        // l1's address, but l2's key: what a reinstalled or impersonated host looks like.
        Files.writeString(knownHosts, bed.l1Address() + " " + Files.readString(Path.of(bed.hostKey("l2") + ".pub")));
        for (HostKeyPolicy policy : HostKeyPolicy.values()) {
            SshTarget target = bed.l1().withKnownHosts(knownHosts).withHostKeyPolicy(policy);
            assertThatThrownBy(() -> SshHost.connect(target))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining(bed.l1Address() + ":22")
                    .hasMessageContaining("CHANGED")
                    .hasMessageContaining(bed.hostKeyFingerprint("l1"));
        }
        assertThat(Files.readString(knownHosts)).doesNotContain(Files.readString(Path.of(bed.hostKey("l1") + ".pub")).split(" ")[1]);
    }

    @Test
    void unknownHostKeyIsRefusedWhenStrictAndRecordedOnOptIn() throws Exception {
        Path knownHosts = temp.resolve("fresh_known_hosts");
        Files.writeString(knownHosts, "");
        SshTarget strict = bed.l1().withKnownHosts(knownHosts);
        assertThatThrownBy(() -> SshHost.connect(strict))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageContaining(bed.l1Address() + ":22")
                .hasMessageContaining("unknown")
                .hasMessageContaining(bed.hostKeyFingerprint("l1"))
                .hasMessageContaining("RECORD_NEW");

        try (SshHost recorded = SshHost.connect(strict.withHostKeyPolicy(HostKeyPolicy.RECORD_NEW))) {
            assertThat(recorded.run("echo recorded", TIMEOUT).stdout()).isEqualTo("recorded\n");
        }
        String l1Key = Files.readString(Path.of(bed.hostKey("l1") + ".pub")).split(" ")[1];
        assertThat(Files.readString(knownHosts)).contains(l1Key);
        try (SshHost again = SshHost.connect(strict)) {
            assertThat(again.run("echo known now", TIMEOUT).stdout()).isEqualTo("known now\n");
        }
    }

    @Test
    void unauthorizedClientKeyIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> SshHost.connect(bed.l1().withPrivateKey(bed.strangerKey())))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageContaining("authentication as root on " + bed.l1Address() + ":22")
                .hasMessageContaining(bed.strangerKey().toString())
                .hasMessageContaining("authorized_keys");
    }

    @Test
    void passphraseProtectedEd25519AndPlainRsaKeysWork() throws Exception {
        SshTarget ed25519 = bed.l1().withPrivateKey(bed.ed25519Key())
                .withPassphrase(() -> SshTestBed.PASSPHRASE.toCharArray());
        try (SshHost l1 = SshHost.connect(ed25519)) {
            assertThat(l1.run("echo ed25519", TIMEOUT).stdout()).isEqualTo("ed25519\n");
        }
        assertThat(ed25519.toString()).doesNotContain(SshTestBed.PASSPHRASE).contains("passphrase set");
        try (SshHost l1 = SshHost.connect(bed.l1().withPrivateKey(bed.rsaKey()))) {
            assertThat(l1.run("echo rsa", TIMEOUT).stdout()).isEqualTo("rsa\n");
        }
        assertThatThrownBy(() -> SshHost.connect(bed.l1().withPrivateKey(bed.ed25519Key()).withPassphrase("wrong"::toCharArray)))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageContaining(bed.ed25519Key().toString())
                .hasMessageContaining("passphrase");
    }

    @Test
    void binaryFileSurvivesUploadAndDownloadOverTwoHops() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        Path original = temp.resolve("original.bin");
        Files.write(original, content);
        Path back = temp.resolve("back.bin");
        String remote = "/tmp/nvmx upload " + ThreadLocalRandom.current().nextInt(1_000_000) + ".bin";
        try (SshHost l2 = SshHost.connect(bed.l2Via(bed.l1()))) {
            l2.upload(original, remote);
            String sum = l2.run(Shell.command("sha256sum", remote), TIMEOUT).orThrow(l2.name()).stdout().split(" ")[0];
            String localSum = new LocalHost().run(Shell.command("sha256sum", original.toString()), TIMEOUT).stdout().split(" ")[0];
            assertThat(sum).isEqualTo(localSum);
            l2.download(remote, back);
            l2.run(Shell.command("rm", "-f", remote), TIMEOUT);
        }
        assertThat(Files.readAllBytes(back)).isEqualTo(content);
    }

    @Test
    void missingRemoteFileIsAClearDownloadError() throws Exception {
        try (SshHost l1 = SshHost.connect(bed.l1())) {
            assertThatThrownBy(() -> l1.download("/nonexistent/file", temp.resolve("x")))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("/nonexistent/file")
                    .hasMessageContaining("No such file");
            assertThat(temp.resolve("x")).doesNotExist();
        }
    }

    @Test
    void oneLoginPerHostForManyCommands() throws Exception {
        long l1Before = bed.acceptedLogins("l1");
        long l2Before = bed.acceptedLogins("l2");
        try (SshHost l2 = SshHost.connect(bed.l2Via(bed.l1()))) {
            for (int i = 0; i < 25; i++) {
                assertThat(l2.run("echo " + i, TIMEOUT).stdout()).isEqualTo(i + "\n");
            }
        }
        assertThat(bed.acceptedLogins("l1") - l1Before).isEqualTo(1);
        assertThat(bed.acceptedLogins("l2") - l2Before).isEqualTo(1);
    }

    @Test
    void reconnectsAfterTheSessionDropped() throws Exception {
        try (SshHost l1 = SshHost.connect(bed.l1())) {
            assertThat(l1.run("echo before", TIMEOUT).stdout()).isEqualTo("before\n");
            long before = bed.acceptedLogins("l1");
            // Ending sshd's per-connection process drops the session, as a guest reboot would.
            bed.inNamespace(bed.l1Namespace(), "pkill -f 'sshd: root@notty'");
            assertThat(l1.run("echo after", TIMEOUT).stdout()).isEqualTo("after\n");
            assertThat(bed.acceptedLogins("l1") - before).isEqualTo(1);
        }
    }

    @Test
    void aHostThatStopsAnsweringMidCommandIsAnErrorNotAShortOutput() throws Exception {
        // JSch gives up on the session after two unanswered keepalives, half a second apart
        try (SshHost l1 = SshHost.connect(bed.l1().withKeepalive(Duration.ofMillis(500), 2))) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                try {
                    outcome.set(l1.run("echo started; sleep 20; echo finished", TIMEOUT, (stream, line) -> {
                        if (line.equals("started")) {
                            started.countDown();
                        }
                    }));
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            runner.start();
            assertThat(started.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the command started").isTrue();
            // [s]: the pattern must not match the shell that runs pkill
            String session = "'[s]shd: root@notty'";
            try {
                // a stopped sshd answers nothing, as a hung guest does, while its TCP connection stays open
                bed.inNamespace(bed.l1Namespace(), "pkill -STOP -f " + session);
                runner.join(TIMEOUT.toMillis());
                assertThat(outcome.get()).isInstanceOf(HostException.class);
                assertThat(((HostException) outcome.get()).getMessage())
                        .contains("the SSH session ended before the command did")
                        .contains("2 keepalives, one every 500 ms")
                        .contains("started")
                        .doesNotContain("finished");
            } finally {
                bed.inNamespace(bed.l1Namespace(), "pkill -KILL -f " + session);
            }
            assertThat(l1.run("echo again", TIMEOUT).stdout()).as("a new session after the drop").isEqualTo("again\n");
        }
    }

    @Test
    void closingASharedHostKeepsTheJumpSessionOfAnotherHost() throws Exception {
        try (SshConnections connections = new SshConnections()) {
            SshTarget l1Target = bed.l1();
            SshHost l1 = connections.host(l1Target);
            SshHost l2 = connections.host(bed.l2Via(l1Target));
            assertThat(l2.run("echo l2", TIMEOUT).stdout()).isEqualTo("l2\n");
            long l1Logins = bed.acceptedLogins("l1");
            l1.close();
            assertThat(l2.run("echo l2 again", TIMEOUT).stdout()).isEqualTo("l2 again\n");
            assertThat(bed.acceptedLogins("l1")).isEqualTo(l1Logins);
            assertThatThrownBy(() -> l1.run("true", TIMEOUT)).isInstanceOf(HostException.class).hasMessageContaining("closed");
        }
    }

    private static String uniqueSleep() {
        return "sleep " + (4000 + ThreadLocalRandom.current().nextInt(1000)) + "." + ThreadLocalRandom.current().nextInt(1000, 10000);
    }

    private static String processesLike(String namespace, String commandLine) throws Exception {
        // pgrep -x -f matches whole command lines, so pgrep does not find the shell that runs it.
        return bed.inNamespace(namespace, Shell.command("pgrep", "-x", "-f", commandLine)).stdout().strip();
    }
}
