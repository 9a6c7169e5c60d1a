package io.github.nestedvirt.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad SSH targets are refused with a message naming the host and the field. */
class SshTargetTest {

    private static final Path KEY = Path.of("/keys/id_ed25519");
    private static final Path KNOWN = Path.of("/keys/known_hosts");

    @Test
    void defaultsAreStrictWithKeepalive() {
        SshTarget target = SshTarget.of("root", "l1.example", 22, KEY, KNOWN);
        assertThat(target.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(target.keepaliveInterval()).isPositive();
        assertThat(target.via()).isNull();
    }

    @Test
    void badFieldsNameHostAndField() {
        assertThatThrownBy(() -> SshTarget.of("root", "l1.example", 0, KEY, KNOWN))
                .hasMessageContaining("port").hasMessageContaining("l1.example");
        assertThatThrownBy(() -> SshTarget.of("root", " ", 22, KEY, KNOWN)).hasMessageContaining("'host'");
        assertThatThrownBy(() -> SshTarget.of("", "l1.example", 22, KEY, KNOWN)).hasMessageContaining("'user'");
        assertThatThrownBy(() -> SshTarget.of("root", "l1.example", 22, KEY, null))
                .hasMessageContaining("knownHosts").hasMessageContaining("root@l1.example");
        assertThatThrownBy(() -> SshTarget.of("root", "l1.example", 22, KEY, KNOWN).withConnectTimeout(Duration.ZERO))
                .hasMessageContaining("connectTimeout");
    }

    @Test
    void nameShowsTheChainAndToStringHidesThePassphrase() {
        SshTarget l1 = SshTarget.of("root", "l1.example", 22, KEY, KNOWN);
        SshTarget l2 = SshTarget.of("user", "192.168.122.5", 2222, KEY, KNOWN)
                .withPassphrase("s3cret-phrase"::toCharArray).withVia(l1);
        assertThat(l2.displayName()).isEqualTo("user@192.168.122.5:2222 via root@l1.example:22");
        assertThat(l2.toString()).doesNotContain("s3cret-phrase").contains("passphrase set");
    }
}
