package io.github.nestedvirt.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.topology.OwnerTag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

/** The reaper against libvirt's test driver, with real processes as owners. */
class ReaperTest {

    private static final String THIS_HOST = "lab-l0";

    private Connect libvirt;
    private final Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private final Reaper reaper = new Reaper(THIS_HOST, Clock.fixed(now, ZoneOffset.UTC));

    @BeforeEach
    void open() throws Exception {
        libvirt = TestDriver.open();
    }

    @AfterEach
    void close() throws Exception {
        libvirt.close();
    }

    private String define(String prefix, OwnerTag owner) throws Exception {
        String name = TestDomains.uniqueName(prefix);
        TestDriver.startDomain(libvirt, TestDomains.xml("test", name, owner));
        return name;
    }

    private OwnerTag owner(long pid, String host, Instant created, Duration lifetime) {
        return new OwnerTag("r1", pid, host, created, created.plus(lifetime));
    }

    /** A pid that was real a moment ago and whose process has ended. */
    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
    }

    private static Map<String, Reaper.Verdict> byDomain(List<Reaper.Verdict> verdicts) {
        return verdicts.stream().collect(Collectors.toMap(Reaper.Verdict::domain, Function.identity()));
    }

    @Test
    void removesOrphansAndExpiredAndLeavesTheRest() throws Exception {
        long me = ProcessHandle.current().pid();
        String untagged = define("untagged", null);
        String liveOwner = define("live", owner(me, THIS_HOST, now, Duration.ofHours(1)));
        String deadOwner = define("dead", owner(deadPid(), THIS_HOST, now, Duration.ofHours(1)));
        String expired = define("expired", owner(me, THIS_HOST, now.minus(Duration.ofHours(2)), Duration.ofHours(1)));
        String elsewhere = define("elsewhere", owner(me, "other-l0", now, Duration.ofHours(1)));
        String elsewhereExpired = define("elsewhere-expired",
                owner(me, "other-l0", now.minus(Duration.ofDays(2)), Duration.ofDays(1)));

        Map<String, Reaper.Verdict> verdicts = byDomain(reaper.reap(libvirt, false));

        assertThat(verdicts.get(untagged).action()).isEqualTo(Reaper.Action.KEPT);
        assertThat(verdicts.get(untagged).reason()).contains("not ours");
        assertThat(verdicts.get(liveOwner).action()).isEqualTo(Reaper.Action.KEPT);
        assertThat(verdicts.get(deadOwner).action()).isEqualTo(Reaper.Action.REMOVED);
        assertThat(verdicts.get(deadOwner).reason()).contains("owner process").contains("is gone");
        assertThat(verdicts.get(expired).action()).isEqualTo(Reaper.Action.REMOVED);
        assertThat(verdicts.get(expired).reason()).startsWith("expired at ");
        assertThat(verdicts.get(elsewhere).action()).isEqualTo(Reaper.Action.KEPT);
        assertThat(verdicts.get(elsewhere).reason()).contains("other-l0", "cannot be checked from here");
        assertThat(verdicts.get(elsewhereExpired).action()).isEqualTo(Reaper.Action.REMOVED);
        assertThat(TestDriver.domainNames(libvirt)).contains(untagged, liveOwner, elsewhere)
                .doesNotContain(deadOwner, expired, elsewhereExpired);
    }

    @Test
    void aPidNowHeldByAYoungerProcessIsNotTheOwner() throws Exception {
        // This JVM started after the "creation" a day ago, so it cannot have created the domain.
        long me = ProcessHandle.current().pid();
        String reused = define("reused", owner(me, THIS_HOST, now.minus(Duration.ofDays(1)), Duration.ofDays(7)));

        Reaper.Verdict verdict = byDomain(reaper.reap(libvirt, false)).get(reused);

        assertThat(verdict.action()).isEqualTo(Reaper.Action.REMOVED);
        assertThat(verdict.reason()).contains("now belongs to a process started at");
    }

    @Test
    void reapingOneRunLeavesTheOrphansOfOthers() throws Exception {
        String other = define("other", new OwnerTag("other-run", deadPid(), THIS_HOST, now, now.plus(Duration.ofHours(1))));
        String mine = define("mine", new OwnerTag("my-run", deadPid(), THIS_HOST, now, now.plus(Duration.ofHours(1))));

        Map<String, Reaper.Verdict> verdicts = byDomain(reaper.reap(libvirt, false, "my-run"));

        assertThat(verdicts.get(mine).action()).isEqualTo(Reaper.Action.REMOVED);
        assertThat(verdicts.get(other).action()).isEqualTo(Reaper.Action.KEPT);
        assertThat(verdicts.get(other).reason()).isEqualTo("belongs to another run than my-run");
        assertThat(TestDriver.domainNames(libvirt)).contains(other).doesNotContain(mine);
    }

    @Test
    void aDryRunOnlySaysWhatItWouldRemove() throws Exception {
        String deadOwner = define("dead", owner(deadPid(), THIS_HOST, now, Duration.ofHours(1)));

        Reaper.Verdict verdict = byDomain(reaper.reap(libvirt, true)).get(deadOwner);

        assertThat(verdict.action()).isEqualTo(Reaper.Action.WOULD_REMOVE);
        assertThat(verdict.toText()).startsWith("would remove " + deadOwner + " (run r1): owner process");
        assertThat(TestDriver.domainNames(libvirt)).contains(deadOwner);
    }

    @Test
    void aSecondReapFindsNothingMoreToRemove() throws Exception {
        define("dead", owner(deadPid(), THIS_HOST, now, Duration.ofHours(1)));
        reaper.reap(libvirt, false);

        assertThat(reaper.reap(libvirt, false)).extracting(Reaper.Verdict::action)
                .doesNotContain(Reaper.Action.REMOVED, Reaper.Action.FAILED);
    }
}
