package io.github.nestedvirt.kvmstat;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.output.UnreadableOutputException;
import java.time.Duration;
import java.util.List;

/**
 * The kernel's {@code kvm_stat} in log mode ({@code -l -s N}), running on the hypervisor for as long
 * as the benchmark runs. A one-shot {@code kvm_stat -1} first proves that it works there, so a
 * kvm_stat that refuses (no vmx/svm flag, no debugfs access) is reported before the benchmark starts.
 */
final class KvmStatTool implements ExitSource {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final Host host;
    private final KvmStatSettings settings;
    private BackgroundCommand log;

    KvmStatTool(Host host, KvmStatSettings settings) {
        this.host = host;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "kvm_stat";
    }

    /** Python buffers output to a pipe: unbuffered, each line arrives at once and none is lost when kvm_stat is stopped. */
    private String invocation(String... arguments) {
        return "PYTHONUNBUFFERED=1 exec " + Shell.quote(settings.command()) + " " + Shell.command(arguments);
    }

    @Override
    public void start() throws SourceUnavailableException, InterruptedException {
        CommandResult check;
        try {
            check = host.run(invocation("-1"), CHECK_TIMEOUT);
        } catch (HostException e) {
            throw new SourceUnavailableException("kvm_stat -1: " + e.getMessage());
        }
        if (check.exitStatus() == 127) {
            throw new SourceUnavailableException("kvm_stat: not installed (" + lastLine(check) + ")");
        }
        if (!check.succeeded()) {
            throw new SourceUnavailableException("kvm_stat -1 failed with exit status " + check.exitStatus() + ": "
                    + lastLine(check));
        }
        log = BackgroundCommand.start(host, invocation("-l", "-s", Integer.toString(settings.intervalSeconds())),
                "kvm_stat@" + host.name());
    }

    @Override
    public Rates stop(double seconds) throws SourceUnavailableException, InterruptedException {
        CommandResult ended = log.awaitEnd(0);
        if (ended == null) {
            log.kill();
        } else if (!ended.succeeded()) {
            throw new SourceUnavailableException("kvm_stat -l stopped by itself with exit status " + ended.exitStatus()
                    + ": " + lastLine(ended));
        }
        if (log.failure() instanceof HostException e) {
            throw new SourceUnavailableException("kvm_stat -l: " + e.getMessage());
        }
        try {
            KvmStatCapture capture = KvmStatOutput.parseLog("kvm_stat -l on " + host.name(), log.stdout(),
                    (double) settings.intervalSeconds());
            return new Rates(capture.perSecond(), List.of());
        } catch (UnreadableOutputException e) {
            throw new SourceUnavailableException(e.getMessage());
        }
    }

    /** The last line the tool printed on stderr (or stdout): a Python traceback ends with the error itself. */
    static String lastLine(CommandResult result) {
        List<String> lines = (result.stderr().isBlank() ? result.stdout() : result.stderr()).lines()
                .filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
    }
}
