package io.github.nestedvirt.cli;

import io.github.nestedvirt.facts.Preflight;
import io.github.nestedvirt.facts.PreflightReport;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.plan.HostSpec;
import io.github.nestedvirt.plan.Hosts;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nvmx preflight}: what a host is, and whether nested virtualization can be measured on it. */
@Command(name = "preflight", mixinStandardHelpOptions = true,
        description = {"Shows what a host is (CPU and its vmx/svm flag, kernel, qemu and libvirt versions, cores, "
                + "memory, the kvm module and its nested/ept/enable_shadow_vmcs/enable_apicv parameters) and "
                + "whether KVM really runs a guest there, with a short real probe.",
            "These facts are recorded with every run as the host's fingerprint.",
            "Exit code 4 when a finding makes results meaningless (e.g. KVM present but unusable)."})
final class PreflightCommand implements Callable<Integer> {

    @Mixin
    HostOptions hostOptions;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--probe-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long the KVM probe may take before KVM counts as hanging. Default: ${DEFAULT-VALUE}.")
    int probeTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Map<String, HostSpec> specs = hostOptions.hosts();
        HostSpec target = specs.get(hostOptions.targetId());
        try (Hosts hosts = new Hosts(specs)) {
            Host host = hosts.get(hostOptions.targetId());
            PreflightReport report = Preflight.run(host, target.level(), Duration.ofSeconds(probeTimeoutSeconds));
            System.out.println(json ? report.toJson() : report.toText());
            return report.passed() ? ExitCode.OK : ExitCode.PREFLIGHT_FAILED;
        }
    }
}
