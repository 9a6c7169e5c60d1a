package io.jenkins.plugins.nestedvirt.config;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.Util;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.github.nestedvirt.facts.Finding;
import io.github.nestedvirt.facts.Preflight;
import io.github.nestedvirt.facts.PreflightReport;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.rundir.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import jenkins.model.Jenkins;

/**
 * "Test connection" of an L0 host: the engine's preflight over SSH with the configured key and
 * pinned host key. The key reaches the engine as a 0600 file of a run directory, deleted when
 * the test is over; it is never logged or put on a command line.
 */
final class ConnectionTest {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

    private ConnectionTest() {
    }

    static FormValidation run(String libvirtUri, String credentialsId, String hostKey) {
        FormValidation uriCheck = HostChecks.libvirtUri(libvirtUri);
        if (uriCheck.kind != FormValidation.Kind.OK) {
            return uriCheck;
        }
        L0Host.SshAddress address = L0Host.SshAddress.of(libvirtUri);
        if (address == null) {
            return FormValidation.ok(libvirtUri + " is the libvirt of the agent itself: run the nestedPreflight step"
                    + " on that agent to check it");
        }
        FormValidation keyCheck = HostChecks.hostKey(hostKey, true);
        if (keyCheck.kind != FormValidation.Kind.OK) {
            return keyCheck;
        }
        SSHUserPrivateKey key = credentials(credentialsId);
        if (key == null) {
            return FormValidation.error("No SSH private key credential with id '" + credentialsId
                    + "': add one under Manage Jenkins > Credentials and choose it here");
        }
        Path scratch = null;
        RunDirectory run = null;
        try {
            scratch = Files.createTempDirectory("nested-virt-test-");
            run = RunDirectory.create(scratch.resolve("run"));
            Path privateKey = run.writeSecret("ssh-key", firstKey(key).getBytes(StandardCharsets.UTF_8));
            Path knownHosts = run.writeSecret("known_hosts",
                    address.knownHostsLine(hostKey).getBytes(StandardCharsets.UTF_8));
            SshTarget target = SshTarget.of(address.user(), address.host(), address.port(), privateKey, knownHosts)
                    .withPassphrase(passphrase(key.getPassphrase()));
            try (SshHost host = SshHost.connect(target)) {
                return verdict(Preflight.run(host, Level.L0, PROBE_TIMEOUT));
            }
        } catch (HostException | IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        } catch (IOException e) {
            return FormValidation.error("Could not prepare the test: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FormValidation.error("Interrupted");
        } finally {
            cleanUp(run, scratch);
        }
    }

    private static FormValidation verdict(PreflightReport report) {
        String text = report.toText();
        if (report.worst() == Finding.Severity.FAIL) {
            return FormValidation.errorWithMarkup("<pre>" + Util.escape(text) + "</pre>");
        }
        if (report.worst() == Finding.Severity.WARN) {
            return FormValidation.warningWithMarkup("<pre>" + Util.escape(text) + "</pre>");
        }
        return FormValidation.okWithMarkup("<pre>" + Util.escape(text) + "</pre>");
    }

    private static SSHUserPrivateKey credentials(String id) {
        if (id.isEmpty()) {
            return null;
        }
        List<SSHUserPrivateKey> keys = CredentialsProvider.lookupCredentialsInItemGroup(SSHUserPrivateKey.class,
                Jenkins.get(), ACL.SYSTEM2, List.of());
        return CredentialsMatchers.firstOrNull(keys, CredentialsMatchers.withId(id));
    }

    private static String firstKey(SSHUserPrivateKey key) throws IOException {
        List<String> keys = key.getPrivateKeys();
        if (keys.isEmpty()) {
            throw new IOException("the credential '" + key.getId() + "' holds no private key");
        }
        String first = keys.get(0);
        return first.endsWith("\n") ? first : first + "\n";
    }

    /** A fresh array on every call, as the engine wipes each one after use. */
    private static Supplier<char[]> passphrase(Secret secret) {
        return secret == null ? null : () -> Secret.toString(secret).toCharArray();
    }

    private static void cleanUp(RunDirectory run, Path scratch) {
        try {
            if (run != null) {
                run.deleteSecrets();
            }
            if (scratch != null) {
                Util.deleteRecursive(scratch.toFile());
            }
        } catch (IOException e) {
            // Left in the controller's temporary directory; the secrets were deleted first.
        }
    }
}
