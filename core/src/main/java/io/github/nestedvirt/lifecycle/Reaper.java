package io.github.nestedvirt.lifecycle;

import io.github.nestedvirt.topology.LocalHostName;
import io.github.nestedvirt.topology.OwnerTag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Finds domains left behind by runs that are gone, through the {@link OwnerTag} in their metadata,
 * and removes them (destroy, then undefine). Domains without our tag are never touched.
 *
 * <p>A tagged domain is removed when its expiry has passed, or when its owner ran on this
 * machine and is gone: no process has the recorded pid any more, or the process that has it
 * started after the domain was created (the pid was reused, so it cannot be the owner). The
 * owner of a domain tagged by another machine cannot be checked from here: only its expiry
 * counts.
 */
public final class Reaper {

    /** Start times come from clock ticks and tags hold whole seconds: allow for both. */
    private static final Duration START_TIME_SLACK = Duration.ofSeconds(2);

    /** What the reaper decided for one domain. */
    public enum Action {
        /** Removed. */
        REMOVED,
        /** Would be removed; nothing was done ({@code --dry-run}). */
        WOULD_REMOVE,
        /** Left alone: not ours, or its owner may still need it. */
        KEPT,
        /** Should have been removed, but removing it failed. */
        FAILED
    }

    /**
     * One domain, its owner tag if it has one, and why it was (or was not) removed.
     *
     * @param domain the domain's name
     * @param owner its owner tag; empty for a domain that is not ours
     * @param action what was done
     * @param reason why, for people
     */
    public record Verdict(String domain, Optional<OwnerTag> owner, Action action, String reason) {

        /** One line for people: {@code removed nvmx-l1 (run r1): owner process 123 on l0 is gone}. */
        public String toText() {
            String run = owner.map(o -> " (run " + o.run() + ")").orElse("");
            return switch (action) {
                case REMOVED -> "removed " + domain + run + ": " + reason;
                case WOULD_REMOVE -> "would remove " + domain + run + ": " + reason;
                case KEPT -> "kept " + domain + run + ": " + reason;
                case FAILED -> "FAILED to remove " + domain + run + ": " + reason;
            };
        }
    }

    private final String thisHost;
    private final Clock clock;

    /**
     * @param thisHost this machine's host name as owner tags record it
     * @param clock the time expiries are compared with
     */
    public Reaper(String thisHost, Clock clock) {
        this.thisHost = thisHost;
        this.clock = clock;
    }

    /** A reaper for owners on this machine, with the system clock. */
    public static Reaper onThisMachine() {
        return new Reaper(LocalHostName.get(), Clock.systemUTC());
    }

    /**
     * Looks at every domain on {@code connect} (running or only defined) and removes those whose
     * owner is gone or whose expiry passed; with {@code dryRun}, only says which.
     */
    public List<Verdict> reap(Connect connect, boolean dryRun) throws LibvirtException {
        return reap(connect, dryRun, null);
    }

    /**
     * As {@link #reap(Connect, boolean)}, but only domains of run {@code onlyRun} are candidates
     * ({@code null}: every run); domains of other runs are kept.
     */
    public List<Verdict> reap(Connect connect, boolean dryRun, String onlyRun) throws LibvirtException {
        List<Verdict> verdicts = new ArrayList<>();
        for (Domain domain : connect.listAllDomains(0)) {
            try {
                verdicts.add(judge(connect, domain, dryRun, onlyRun));
            } finally {
                domain.free();
            }
        }
        return verdicts;
    }

    private Verdict judge(Connect connect, Domain domain, boolean dryRun, String onlyRun) throws LibvirtException {
        String name = domain.getName();
        Optional<OwnerTag> owner;
        try {
            owner = OwnerTag.fromDomainXml(domain.getXMLDesc(0));
        } catch (LibvirtException e) {
            if (LibvirtRemoval.notFound(e)) {
                return new Verdict(name, Optional.empty(), Action.KEPT, "gone while looking at it");
            }
            throw e;
        }
        if (owner.isEmpty()) {
            return new Verdict(name, owner, Action.KEPT, "no nested-virt owner tag: not ours");
        }
        if (onlyRun != null && !onlyRun.equals(owner.get().run())) {
            return new Verdict(name, owner, Action.KEPT, "belongs to another run than " + onlyRun);
        }
        Optional<String> why = whyGone(owner.get());
        if (why.isEmpty()) {
            return new Verdict(name, owner, Action.KEPT, stillOwned(owner.get()));
        }
        if (dryRun) {
            return new Verdict(name, owner, Action.WOULD_REMOVE, why.get());
        }
        try {
            LibvirtRemoval.domain(connect, name);
            return new Verdict(name, owner, Action.REMOVED, why.get());
        } catch (LibvirtException e) {
            return new Verdict(name, owner, Action.FAILED, why.get() + ", but libvirt: " + e.getMessage());
        }
    }

    /** Why the owner can no longer need its resource, or empty while it may. */
    Optional<String> whyGone(OwnerTag owner) {
        Instant now = clock.instant();
        if (!now.isBefore(owner.expires())) {
            return Optional.of("expired at " + owner.expires());
        }
        if (!owner.host().equals(thisHost)) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(owner.pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            return Optional.of("owner process " + owner.pid() + " on " + owner.host() + " is gone");
        }
        Optional<Instant> started = process.get().info().startInstant();
        if (started.isPresent() && started.get().isAfter(owner.created().plus(START_TIME_SLACK))) {
            return Optional.of("owner process " + owner.pid() + " on " + owner.host() + " is gone (pid "
                    + owner.pid() + " now belongs to a process started at " + started.get()
                    + ", after the domain was created)");
        }
        return Optional.empty();
    }

    private String stillOwned(OwnerTag owner) {
        if (owner.host().equals(thisHost)) {
            return "owner process " + owner.pid() + " is running; expires " + owner.expires();
        }
        return "owned by a process on " + owner.host() + ", which cannot be checked from here; expires "
                + owner.expires();
    }
}
