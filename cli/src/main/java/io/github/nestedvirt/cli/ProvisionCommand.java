package io.github.nestedvirt.cli;

import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.HostUnreachableException;
import io.github.nestedvirt.lifecycle.IncompleteTeardownException;
import io.github.nestedvirt.lifecycle.LibvirtErrorOutput;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.ProvisionedGuest;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.provision.Provisioner;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.TopologyReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nvmx provision TOPOLOGY --run-dir DIR}: brings the topology's L1 guests (and their L2s) up
 * and leaves them running for benchmarks; {@code nvmx teardown DIR} removes them.
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Creates the L1 guests of TOPOLOGY through L0's libvirt (disk volume, domain), starts them "
                + "and waits until each has an address and answers SSH; then the L2 guests of each L1 inside it, "
                + "through the L1's own libvirt (relayed over the SSH session to the L1), reached over SSH through "
                + "the L1. Every resource is recorded in DIR/topology.json before it is created; the guests are "
                + "written to DIR/provisioned.json.",
            "L0 is this machine, or a remote L0 named by l0.ssh (or a qemu+ssh l0.uri): its libvirt and files are "
                + "then reached over SSH (its host key must be known), and its L1s through it. An L1 with "
                + "packages: {install: true} gets qemu and libvirt from its package manager when it lacks them.",
            "The guests stay up: remove them with 'nvmx teardown DIR'. If provisioning fails, or Ctrl-C or SIGTERM "
                + "arrives, everything created so far is removed before nvmx exits."})
final class ProvisionCommand implements Callable<Integer> {

    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

    @Parameters(index = "0", paramLabel = "TOPOLOGY", description = "The topology file (YAML), e.g. plans/topology-tcg-test.yaml.")
    Path topologyFile;

    @Option(names = "--run-dir", paramLabel = "DIR", required = true,
            description = "The run directory; its name is the run id written into each domain's owner tag.")
    Path runDir;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long the guests are needed (e.g. 90m, 24h, 2d); after that 'nvmx reap' may remove "
                    + "them. Default: ${DEFAULT-VALUE}.")
    Duration expires;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "At most N guests are provisioned at once (1: one after the other). Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = "--json", description = "Print provisioned.json instead of one line per guest.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (parallel < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--parallel: must be at least 1, not " + parallel);
        }
        LibvirtErrorOutput.silence();
        Topology topology = new TopologyReader().read(topologyFile);
        Provisioner provisioner = new Provisioner(Provisioner.Settings.defaults().withLifetime(expires)
                .withParallelism(parallel));
        ProvisionedTopology provisioned;
        Lifecycle lifecycle = Lifecycle.open(runDir);
        try {
            provisioned = provisioner.provision(topology, lifecycle, new ConsoleProgress(System.err));
            lifecycle.handOver();
        } catch (Exception | Error e) {
            try {
                lifecycle.close();
            } catch (IncompleteTeardownException left) {
                System.err.println("nvmx: " + left.getMessage());
                System.err.println("nvmx: fix the cause and run 'nvmx teardown " + runDir + "'");
            }
            if (e instanceof HostException && !(e instanceof HostUnreachableException)) {
                // libvirt on L0 refused, or a guest never became reachable: either way no guest to use
                System.err.println("nvmx: " + e.getMessage());
                System.err.println("nvmx: everything created was removed (see " + runDir.resolve(TopologyRecord.FILE_NAME)
                        + ")");
                return ExitCode.HOST_UNREACHABLE;
            }
            throw e;
        }
        if (json) {
            System.out.println(ResultJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(provisioned));
        } else {
            for (ProvisionedGuest guest : provisioned.guests()) {
                System.out.printf(Locale.ROOT, "%s %s %s ssh %s (ready after %.1f s)%n", guest.level(), guest.name(),
                        guest.address(), provisioned.sshTarget(guest.name()).displayName(), guest.secondsToReady());
            }
            System.out.println("Guests left running; remove them with: nvmx teardown " + runDir);
        }
        return ExitCode.OK;
    }

    /** {@code 90m}, {@code 24h}, {@code 2d}, or ISO-8601 ({@code PT24H}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
            Duration duration;
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                duration = switch (matcher.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } else {
                try {
                    duration = Duration.parse(value.trim());
                } catch (java.time.format.DateTimeParseException e) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a duration; use e.g. 90m, 24h or 2d");
                }
            }
            if (duration.isZero() || duration.isNegative()) {
                throw new CommandLine.TypeConversionException("'" + value + "' must be longer than zero");
            }
            return duration;
        }
    }
}
