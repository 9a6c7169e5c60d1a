package io.github.nestedvirt.provision;

import com.jcraft.jsch.JSchHostKeyException;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import org.libvirt.Error;

/**
 * Waits for a freshly started guest to become usable, in small steps that each have their own
 * timeout: an IPv4 address ({@link AddressDiscovery}: libvirt's DHCP leases, the guest agent or
 * ARP), the SSH port open, an SSH login that runs a command. A step that times out throws
 * {@link GuestNotReadyException} carrying the last reason seen and the tail of the guest's serial
 * log, so a guest that never boots explains itself.
 */
public final class GuestReadiness {

    /** How many serial log lines an error carries. */
    public static final int SERIAL_TAIL_LINES = 40;

    private final String guestName;
    private final ConsoleLog serialLog;
    private final Duration pollInterval;

    /**
     * @param guestName the domain name, for messages
     * @param serialLog where the guest's console goes
     * @param pollInterval pause between two attempts of a step
     */
    public GuestReadiness(String guestName, ConsoleLog serialLog, Duration pollInterval) {
        this.guestName = guestName;
        this.serialLog = serialLog;
        this.pollInterval = pollInterval;
    }

    /** One attempt of a step: a value when the step is reached, empty (with a reason) when not yet. */
    @FunctionalInterface
    interface Attempt<T> {
        Optional<T> attempt(StringBuilder reason) throws HostException, InterruptedException;
    }

    /**
     * Polls the domain's DHCP lease until it has an IPv4 address. Fails at once when the domain
     * stops running, since it will then never get one.
     */
    public Inet4Address leaseAddress(LibvirtDomain domain, Duration timeout)
            throws HostException, InterruptedException {
        return address(domain, AddressDiscovery.lease(), timeout);
    }

    /**
     * Polls {@code discovery} until the domain has an IPv4 address. Fails at once when the domain
     * stops running, since it will then never get one.
     */
    public Inet4Address address(LibvirtDomain domain, AddressDiscovery discovery, Duration timeout)
            throws HostException, InterruptedException {
        return until(discovery.description(), timeout, reason -> {
            // libvirt refuses to read the addresses of a stopped domain, so the state comes first.
            if (!domain.isActive()) {
                throw notReady("the domain stopped running before it got an address", null);
            }
            try {
                return discovery.attempt(domain, reason);
            } catch (LibvirtFailedException e) {
                if (e.errorNumber() == Error.ErrorNumber.VIR_ERR_OPERATION_INVALID && !domain.isActive()) {
                    throw notReady("the domain stopped running before it got an address", e);
                }
                throw e;
            }
        });
    }

    /** Waits until a TCP connection to {@code address:port} is accepted. */
    public void portOpen(String address, int port, Duration timeout) throws HostException, InterruptedException {
        until("TCP port " + port + " open on " + address, timeout, reason -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), (int) Math.min(pollInterval.toMillis() * 4, 5000));
                return Optional.of(Boolean.TRUE);
            } catch (IOException e) {
                reason.append(e.getMessage());
                return Optional.empty();
            }
        });
    }

    /**
     * Logs in over SSH and runs {@code true}; returns the connected host, which the caller closes.
     * Host keys are checked as the target says: a wrong key fails at once instead of being retried.
     *
     * @param firstLogin the turn each login attempt takes (logins that record a new host key into one
     *     known_hosts file must not overlap)
     */
    public SshHost sshAnswers(SshTarget target, Duration timeout, Lock firstLogin)
            throws HostException, InterruptedException {
        return until("SSH login as " + target.displayName(), timeout, reason -> {
            SshHost host;
            // only the login itself reads and may rewrite known_hosts: the waits in between hold no turn
            firstLogin.lockInterruptibly();
            try {
                host = SshHost.connect(target);
            } catch (HostException e) {
                // A refused host key will not change by waiting, and retrying would hide it.
                if (e.getCause() instanceof JSchHostKeyException) {
                    throw e;
                }
                reason.append(e.getMessage());
                return Optional.empty();
            } finally {
                firstLogin.unlock();
            }
            try {
                CommandResult result = host.run("true", pollInterval.multipliedBy(10).plusSeconds(10));
                if (result.succeeded()) {
                    return Optional.of(host);
                }
                reason.append("'true' exited with ").append(result.exitStatus()).append(": ").append(result.stderr());
            } catch (HostException e) {
                reason.append(e.getMessage());
            }
            host.close();
            return Optional.empty();
        });
    }

    private <T> T until(String what, Duration timeout, Attempt<T> attempt) throws HostException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            StringBuilder reason = new StringBuilder();
            Optional<T> value = attempt.attempt(reason);
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() >= deadline) {
                throw notReady("no " + what + " within " + seconds(timeout) + " (last attempt: " + reason + ")", null);
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    private GuestNotReadyException notReady(String problem, Throwable cause) {
        return new GuestNotReadyException(guestName, problem + "; last " + SERIAL_TAIL_LINES + " lines of its serial log "
                + serialLog.where() + ":\n" + serialLog.tail(SERIAL_TAIL_LINES), cause);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
