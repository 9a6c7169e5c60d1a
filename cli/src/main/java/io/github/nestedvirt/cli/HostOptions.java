package io.github.nestedvirt.cli;

import io.github.nestedvirt.plan.HostSpec;
import io.github.nestedvirt.plan.SshSpec;
import io.github.nestedvirt.result.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which host a command works on: this machine, or an SSH target behind any number of jump hosts. */
final class HostOptions {

    static final String LOCAL = "local";
    static final String TARGET = "target";

    @Option(names = "--ssh", paramLabel = "USER@HOST[:PORT]",
            description = "Work on this SSH host instead of the local machine.")
    String ssh;

    @Option(names = "--jump", paramLabel = "USER@HOST[:PORT]",
            description = "Reach --ssh through this jump host; repeat for a chain, nearest first "
                    + "(e.g. --jump root@l0 --jump root@l1 --ssh root@l2).")
    List<String> jumps = new ArrayList<>();

    @Option(names = "--identity", paramLabel = "FILE", defaultValue = "~/.ssh/id_ed25519",
            description = "Private key (OpenSSH format) for every SSH hop. Default: ${DEFAULT-VALUE}.")
    String identity;

    @Option(names = "--passphrase-env", paramLabel = "NAME",
            description = "Environment variable holding the key's passphrase (never give it on the command line).")
    String passphraseEnv;

    @Option(names = "--known-hosts", paramLabel = "FILE", defaultValue = "~/.ssh/known_hosts",
            description = "Host keys to check every hop against. Default: ${DEFAULT-VALUE}.")
    String knownHosts;

    @Option(names = "--accept-new-host-key",
            description = "Record the key of a host seen for the first time in --known-hosts. A changed key "
                    + "is still refused.")
    boolean acceptNewHostKey;

    @Option(names = "--level", paramLabel = "L0|L1|L2",
            description = "Nesting level of the host. Default: L0 for the local machine, L1 over SSH.")
    Level level;

    /** The plan hosts these options describe; the measured host has the id {@link #targetId()}. */
    Map<String, HostSpec> hosts() {
        Map<String, HostSpec> hosts = new LinkedHashMap<>();
        hosts.put(LOCAL, HostSpec.local(ssh == null && level != null ? level : Level.L0));
        if (ssh == null) {
            if (!jumps.isEmpty()) {
                throw new IllegalArgumentException("--jump: needs --ssh, the host to reach through the jump hosts");
            }
            return hosts;
        }
        String via = null;
        for (int i = 0; i < jumps.size(); i++) {
            String id = "jump" + (i + 1);
            hosts.put(id, new HostSpec(Level.values()[Math.min(i, 2)], false, sshSpec("--jump", jumps.get(i), via)));
            via = id;
        }
        hosts.put(TARGET, new HostSpec(level == null ? Level.L1 : level, false, sshSpec("--ssh", ssh, via)));
        return hosts;
    }

    String targetId() {
        return ssh == null ? LOCAL : TARGET;
    }

    private SshSpec sshSpec(String option, String address, String via) {
        int at = address.indexOf('@');
        String user = at < 0 ? null : address.substring(0, at);
        String hostPort = address.substring(at + 1);
        Integer port = null;
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && !hostPort.startsWith("[")) {
            try {
                port = Integer.valueOf(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + address + "' has no valid port after ':'");
            }
            hostPort = hostPort.substring(0, colon);
        }
        if (hostPort.isEmpty() || user != null && user.isEmpty()) {
            throw new IllegalArgumentException(option + ": '" + address + "' is not USER@HOST[:PORT]");
        }
        return new SshSpec(hostPort, port, user, identity, passphraseEnv, knownHosts, Boolean.valueOf(acceptNewHostKey), via);
    }
}
