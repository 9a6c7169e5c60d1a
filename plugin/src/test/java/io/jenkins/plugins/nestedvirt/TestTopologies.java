package io.jenkins.plugins.nestedvirt;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The topology the Pipeline tests provision for real: {@code plans/topology-tcg-test.yaml}, one
 * TCG guest hypervisor booted from a kernel and initramfs, which runs on machines without
 * usable KVM (CI here). Kept in one place because it is where the tests meet the engine's
 * {@code nestedProvision} spec.
 */
final class TestTopologies {

    private TestTopologies() {
    }

    /**
     * The Groovy map of {@code nestedTopology}/{@code nestedProvision} arguments: the topology
     * file only, as those steps take nothing else of the common arguments.
     */
    static String tcgTestArguments() {
        Path file = Path.of("..", "plans", "topology-tcg-test.yaml").toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: the Pipeline tests run from the plugin module"
                    + " of a nested-virt checkout");
        }
        return "file: '" + file + "'";
    }
}
