package io.github.nestedvirt.provision;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Installs qemu and libvirt in an L1 with its own package manager, found from
 * {@code /etc/os-release} ({@code ID}, then {@code ID_LIKE}), without questions, and starts
 * libvirtd (through systemd when it runs, else by hand). Output lines are passed on as progress,
 * at most one every few seconds: an install takes minutes.
 */
final class VirtualizationPackages {

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
    private static final int TAIL_LINES = 20;

    /** A package manager and its non-interactive commands for qemu (x86_64) and libvirt with its clients. */
    enum Manager {
        APT("apt", "export DEBIAN_FRONTEND=noninteractive; apt-get update -q"
                + " && apt-get install -y -q --no-install-recommends qemu-system-x86 libvirt-daemon-system libvirt-clients"),
        DNF("dnf", "dnf install -y qemu-system-x86 libvirt-daemon-kvm libvirt-client"),
        ZYPPER("zypper", "zypper --non-interactive install qemu-x86 libvirt-daemon-qemu libvirt-client");

        private final String command;
        private final String install;

        Manager(String command, String install) {
            this.command = command;
            this.install = install;
        }

        /** The shell command that installs the packages. */
        String install() {
            return install;
        }

        @Override
        public String toString() {
            return command;
        }
    }

    /** Starts libvirtd (and virtlogd) whether systemd runs or not, then waits up to 60 s for its socket. */
    static final String START_LIBVIRTD = """
            if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
              systemctl start virtlogd.socket libvirtd.socket 2>/dev/null; systemctl start libvirtd
            else
              command -v virtlogd >/dev/null && { [ -S /var/run/libvirt/virtlogd-sock ] || virtlogd -d; }
              [ -S /var/run/libvirt/libvirt-sock ] || libvirtd -d
            fi
            i=0; while [ ! -S /var/run/libvirt/libvirt-sock ] && [ $i -lt 60 ]; do sleep 1; i=$((i+1)); done
            [ -S /var/run/libvirt/libvirt-sock ]
            """;

    private VirtualizationPackages() {
    }

    /** The fields of an {@code os-release} file (shell-style {@code KEY=value}, the value quoted or not). */
    static Map<String, String> osRelease(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            int equals = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || equals < 1) {
                continue;
            }
            String value = line.substring(equals + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
            }
            fields.put(line.substring(0, equals).strip(), value);
        }
        return fields;
    }

    /** The package manager of a distribution: by its {@code ID}, else by the first known of its {@code ID_LIKE}. */
    static Optional<Manager> managerOf(Map<String, String> osRelease) {
        List<String> ids = new ArrayList<>();
        ids.add(osRelease.getOrDefault("ID", ""));
        ids.addAll(List.of(osRelease.getOrDefault("ID_LIKE", "").split("\\s+")));
        for (String id : ids) {
            switch (id) {
                case "debian", "ubuntu" -> {
                    return Optional.of(Manager.APT);
                }
                case "fedora", "rhel", "centos", "rocky", "almalinux" -> {
                    return Optional.of(Manager.DNF);
                }
                case "opensuse", "opensuse-leap", "opensuse-tumbleweed", "suse", "sles" -> {
                    return Optional.of(Manager.ZYPPER);
                }
                default -> {
                    // not one we know: try the next
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Installs the packages in {@code l1} and starts libvirtd.
     *
     * @param at the field that allowed it, e.g. {@code l1[0].packages}, for messages
     * @throws HostException naming {@code at}, the L1 and the command that failed, with its output's tail
     */
    static void install(String at, String l1Name, Host l1, Progress progress) throws HostException, InterruptedException {
        CommandResult release = l1.run("cat /etc/os-release || cat /usr/lib/os-release", Duration.ofSeconds(30));
        Map<String, String> fields = osRelease(release.stdout());
        Manager manager = managerOf(fields).orElseThrow(() -> new HostException(l1.name(), at + ": L1 " + l1Name
                + " runs " + fields.getOrDefault("PRETTY_NAME", "a system without /etc/os-release") + " (ID "
                + fields.getOrDefault("ID", "unknown") + "), whose package manager nvmx does not know (apt, dnf,"
                + " zypper); install qemu and libvirt in the L1's image instead"));
        progress.info(l1Name + ": installing qemu and libvirt with " + manager + " (" + fields.getOrDefault("PRETTY_NAME",
                fields.getOrDefault("ID", "")) + "); this takes minutes");
        boolean root = l1.run("id -u", Duration.ofSeconds(30)).orThrow(l1.name()).stdout().strip().equals("0");
        run(at, l1Name, l1, asRoot(manager.install(), root), INSTALL_TIMEOUT, progress);
        progress.info(l1Name + ": starting libvirtd");
        run(at, l1Name, l1, asRoot(START_LIBVIRTD, root), START_TIMEOUT, progress);
    }

    /** Another user than root goes through password-less sudo (as the cloud-init seed sets it up). */
    private static String asRoot(String command, boolean root) {
        return root ? command : Shell.command("sudo", "-n", "sh", "-c", command);
    }

    private static void run(String at, String l1Name, Host l1, String command, Duration timeout, Progress progress)
            throws HostException, InterruptedException {
        AtomicLong last = new AtomicLong(System.nanoTime());
        CommandResult result = l1.run(command, timeout, (stream, line) -> {
            long now = System.nanoTime();
            long before = last.get();
            if (now - before >= PROGRESS_INTERVAL.toNanos() && last.compareAndSet(before, now)) {
                progress.info(l1Name + ": " + line.strip());
            }
        });
        if (!result.succeeded()) {
            String output = ConsoleLog.printableTail(result.stdout() + result.stderr(), TAIL_LINES);
            throw new HostException(l1.name(), at + ": in L1 " + l1Name + ", '" + command.strip().replace('\n', ' ')
                    + "' exited with " + result.exitStatus() + "; its last lines:\n" + output);
        }
    }
}
