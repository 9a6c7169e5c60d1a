package io.github.nestedvirt.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KernelCrashTest {

    @Test
    void aPanicIsNamedWithTheInstructionItHappenedAt() throws IOException {
        String console;
        try (InputStream in = KernelCrashTest.class.getResourceAsStream(
                "/io/github/nestedvirt/migration/l1-serial-panic-after-migration.txt")) {
            console = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(KernelCrash.in(console)).hasValueSatisfying(crash -> {
            assertThat(crash.message()).isEqualTo("Kernel panic - not syncing: Fatal exception in interrupt");
            assertThat(crash.at()).isEqualTo("RIP: 0010:__list_add_valid.cold+0x4b/0x5b");
        });
    }

    @Test
    void anOopsWithoutAPanicIsTheCrash() {
        String console = """
                [   12.000000] Run /init as init process
                [   80.100000] BUG: kernel NULL pointer dereference, address: 0000000000000008
                [   80.100001] Call Trace:
                [   80.100002] RIP: 0010:enqueue_entity+0x362/0x4f0
                """;

        assertThat(KernelCrash.in(console)).hasValueSatisfying(crash -> {
            assertThat(crash.message()).isEqualTo("BUG: kernel NULL pointer dereference, address: 0000000000000008");
            assertThat(crash.at()).isEmpty();
            assertThat(crash.describe()).isEqualTo("'BUG: kernel NULL pointer dereference, address: 0000000000000008'");
        });
    }

    @Test
    void aHealthyBootIsNoCrashNotEvenWithPanicOnItsCommandLine() {
        String console = """
                [    0.000000] Command line: console=ttyS0 panic=1 quiet
                [    0.512000] Freeing unused kernel image memory: 2048K
                [    1.000000] Run /init as init process
                """;

        assertThat(KernelCrash.in(console)).isEmpty();
    }
}
