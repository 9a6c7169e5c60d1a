package io.github.nestedvirt.facts;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.CommandTimeoutException;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds out whether KVM really works on a host: {@code /dev/kvm} existing is not enough (a broken
 * KVM makes qemu abort, e.g. "failed to set MSR 0x10a", or makes guests spin forever). The probe
 * boots a tiny guest ({@link ProbeBootSector}) with {@code -accel kvm -cpu host} under
 * {@code timeout -s KILL} and calls KVM usable only when the guest's marker arrives on the serial
 * port in time.
 *
 * <p>Everything happens in one shell command on the host: the boot sector is written with
 * {@code printf}, so the probe works through any {@link Host} without a file transfer.
 */
public final class KvmProbe {

    /** Long enough for qemu to start on a loaded host; a working guest prints within a second. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Extra time the host command gets beyond the qemu timeout (mktemp, qemu start-up, clean-up). */
    private static final Duration SLACK = Duration.ofSeconds(30);

    private static final String TAG = "nvmx-probe: ";

    /** The accelerator a probe guest runs under. */
    public enum Accelerator {
        /** Hardware-assisted, needs a working {@code /dev/kvm}; the host's own CPU model. */
        KVM("kvm", "host"),
        /** qemu's emulator; always available, proves that the payload itself is right. */
        TCG("tcg", "qemu64");

        private final String qemuName;
        private final String cpu;

        Accelerator(String qemuName, String cpu) {
            this.qemuName = qemuName;
            this.cpu = cpu;
        }

        /** The name {@code -accel} takes and results record ({@code kvm}, {@code tcg}). */
        public String qemuName() {
            return qemuName;
        }
    }

    /** How a probe guest ended. */
    public enum Outcome {
        /** The guest printed its marker: code ran under the accelerator. */
        RAN,
        /** qemu exited without the marker (abort, error, guest crash). */
        ABORTED,
        /** The guest neither printed nor exited before the timeout and was killed. */
        HUNG,
        /** No {@code /dev/kvm}. */
        NO_DEVICE,
        /** No {@code qemu-system-x86_64} nor {@code /usr/libexec/qemu-kvm}. */
        NO_QEMU,
        /** {@code /dev/kvm} exists but the user cannot read and write it. */
        NO_PERMISSION,
        /** The probe could not run for another reason (no {@code timeout} or {@code mktemp}). */
        NOT_RUN
    }

    /**
     * One probe guest's fate.
     *
     * @param accelerator what it ran under
     * @param outcome how it ended
     * @param exitStatus qemu's exit status, or -1 when qemu did not run
     * @param serial what the guest printed on its serial port
     * @param detail the qemu error text, or why the probe did not run; empty when it ran
     * @param wallTime how long the whole probe command took
     */
    public record Boot(Accelerator accelerator, Outcome outcome, int exitStatus, String serial, String detail,
            Duration wallTime) {
    }

    private final Duration timeout;

    /** A probe that gives the guest {@code timeout} (whole seconds, at least 1) to show it runs. */
    public KvmProbe(Duration timeout) {
        if (timeout == null || timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("KVM probe timeout must be at least 1 s, was " + timeout);
        }
        this.timeout = timeout;
    }

    /** Probes KVM on {@code host}: boots the probe guest under {@code -accel kvm}. */
    public KvmStatus probe(Host host) throws HostException, InterruptedException {
        return status(boot(host, Accelerator.KVM), timeout);
    }

    /** Boots the probe guest under {@code accelerator} on {@code host} and says how it ended. */
    public Boot boot(Host host, Accelerator accelerator) throws HostException, InterruptedException {
        return boot(host, accelerator, script(accelerator, timeout.toSeconds()));
    }

    Boot boot(Host host, Accelerator accelerator, String command) throws HostException, InterruptedException {
        try {
            return interpret(host.run(command, timeout.plus(SLACK)), accelerator);
        } catch (CommandTimeoutException e) {
            // timeout -s KILL should have ended qemu long before; the host ended the whole command instead
            return new Boot(accelerator, Outcome.HUNG, -1, "", e.getMessage(), timeout.plus(SLACK));
        }
    }

    /** The shell command that writes the boot sector and runs qemu on it; busybox sh is enough. */
    static String script(Accelerator accelerator, long timeoutSeconds) {
        return script(accelerator, timeoutSeconds, ProbeBootSector.printfFormat());
    }

    /** The probe command with another disk image, given as a {@code printf} format (tests use a non-bootable one). */
    static String script(Accelerator accelerator, long timeoutSeconds, String diskPrintfFormat) {
        List<String> qemuArgs = List.of("-accel", accelerator.qemuName, "-machine", "pc", "-cpu", accelerator.cpu,
                "-display", "none", "-nodefaults", "-no-reboot", "-m", "16", "-serial", "stdio",
                "-device", "isa-debug-exit,iobase=0x" + Integer.toHexString(ProbeBootSector.DEBUG_EXIT_PORT)
                        + ",iosize=0x04");
        boolean kvm = accelerator == Accelerator.KVM;
        StringBuilder s = new StringBuilder();
        s.append("p() { echo \"").append(TAG).append("$*\"; }\n");
        if (kvm) {
            s.append("[ -e /dev/kvm ] || { p no-device; exit 0; }\n");
        }
        s.append("q=\n");
        s.append("for c in qemu-system-x86_64 /usr/libexec/qemu-kvm; do\n");
        s.append("  if command -v \"$c\" >/dev/null 2>&1; then q=$c; break; fi\n");
        s.append("done\n");
        s.append("[ -n \"$q\" ] || { p no-qemu; exit 0; }\n");
        if (kvm) {
            s.append("if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then\n");
            s.append("  p no-permission user $(id -un 2>/dev/null), $(ls -l /dev/kvm); exit 0\n");
            s.append("fi\n");
        }
        s.append("command -v timeout >/dev/null 2>&1 || { p not-run no timeout command; exit 0; }\n");
        s.append("d=$(mktemp -d /tmp/nvmx-kvm-probe.XXXXXX) || { p not-run mktemp failed; exit 0; }\n");
        // the image goes away even when the caller's timeout kills this shell
        s.append("trap 'rm -rf \"$d\"' EXIT\n");
        s.append("trap 'exit 143' HUP INT TERM\n");
        s.append("printf ").append(Shell.quote(diskPrintfFormat)).append(" > \"$d/boot.img\"\n");
        s.append("p start $q\n");
        s.append("timeout -s KILL ").append(timeoutSeconds).append(" \"$q\" ").append(Shell.command(qemuArgs))
                .append(" -drive \"file=$d/boot.img,format=raw,if=ide\" </dev/null\n");
        s.append("r=$?\n");
        s.append("p exit $r\n");
        return s.toString();
    }

    /** Reads the probe command's result; pure, so every outcome is testable without a broken KVM. */
    static Boot interpret(CommandResult result, Accelerator accelerator) {
        List<String> serial = new ArrayList<>();
        String verdict = null;
        int exit = -1;
        for (String line : result.stdout().split("\\R")) {
            if (line.startsWith(TAG)) {
                String message = line.substring(TAG.length()).strip();
                if (message.startsWith("exit ")) {
                    exit = Integer.parseInt(message.substring(5).strip());
                } else if (!message.startsWith("start ")) {
                    verdict = message;
                }
            } else if (!line.isBlank()) {
                serial.add(line.strip());
            }
        }
        String serialText = String.join("\n", serial);
        Duration wall = result.wallTime();
        if (verdict != null) {
            String word = verdict.split(" ", 2)[0];
            String rest = verdict.length() > word.length() ? verdict.substring(word.length()).strip() : "";
            return switch (word) {
                case "no-device" -> new Boot(accelerator, Outcome.NO_DEVICE, -1, "", "no /dev/kvm", wall);
                case "no-qemu" -> new Boot(accelerator, Outcome.NO_QEMU, -1, "",
                        "neither qemu-system-x86_64 nor /usr/libexec/qemu-kvm is installed", wall);
                case "no-permission" -> new Boot(accelerator, Outcome.NO_PERMISSION, -1, "",
                        "permission denied on /dev/kvm for " + rest, wall);
                default -> new Boot(accelerator, Outcome.NOT_RUN, -1, "", rest, wall);
            };
        }
        if (serial.contains(ProbeBootSector.MARKER)) {
            return new Boot(accelerator, Outcome.RAN, exit, serialText, "", wall);
        }
        String error = firstLines(result.stderr(), 3);
        if (exit == -1) {
            return new Boot(accelerator, Outcome.NOT_RUN, exit, serialText,
                    "the probe stopped before qemu ended (exit status " + result.exitStatus() + ")"
                            + (error.isEmpty() ? "" : ": " + error), wall);
        }
        // 137 = killed by timeout -s KILL (128 + 9); 124 = timeout's own code with other signals
        if (exit == 137 || exit == 124) {
            return new Boot(accelerator, Outcome.HUNG, exit, serialText, error, wall);
        }
        return new Boot(accelerator, Outcome.ABORTED, exit, serialText,
                error.isEmpty() ? "the guest stopped without printing (exit status " + exit + ")" : error, wall);
    }

    /** What a KVM probe guest's fate means for the host. */
    static KvmStatus status(Boot boot, Duration timeout) {
        return switch (boot.outcome()) {
            case RAN -> new KvmStatus(KvmStatus.State.USABLE, String.format(Locale.ROOT,
                    "a test guest ran under -accel kvm -cpu host (probe took %.1f s)", boot.wallTime().toMillis() / 1000.0));
            case NO_DEVICE -> new KvmStatus(KvmStatus.State.ABSENT, "no /dev/kvm");
            case HUNG -> new KvmStatus(KvmStatus.State.UNUSABLE, "hung for " + timeout.toSeconds()
                    + " s: /dev/kvm is present but guests do not run under KVM");
            case ABORTED -> new KvmStatus(KvmStatus.State.UNUSABLE, "qemu -accel kvm failed (exit status "
                    + boot.exitStatus() + "): " + boot.detail());
            case NO_QEMU -> new KvmStatus(KvmStatus.State.UNKNOWN, "cannot probe KVM: " + boot.detail());
            case NO_PERMISSION -> new KvmStatus(KvmStatus.State.UNKNOWN, "cannot probe KVM: " + boot.detail());
            case NOT_RUN -> new KvmStatus(KvmStatus.State.UNKNOWN, "cannot probe KVM: " + boot.detail());
        };
    }

    private static String firstLines(String text, int count) {
        return String.join("; ", text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).limit(count).toList());
    }
}
