package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.topology.GuestSpec;
import io.github.nestedvirt.topology.TopologyReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud-init seed ISO as cloud-init finds it: written with {@code genisoimage}, read back
 * with {@code isoinfo} (both from Debian's genisoimage package): the volume label, the two file
 * names, and what they say, also when the key comment and the user name carry YAML and shell
 * syntax.
 */
class SeedImageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private final LocalHost local = new LocalHost();

    @TempDir
    Path dir;

    @BeforeAll
    static void needsGenisoimage() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/genisoimage")) && Files.isExecutable(Path.of("/usr/bin/isoinfo")),
                "genisoimage and isoinfo are missing: install genisoimage (scripts/install-deps.sh)");
    }

    @Test
    void theSeedIsACidataIsoWithMetaDataAndUserDataThatSurviveHostileValues() throws Exception {
        // A key comment and a user name a careless writer would turn into YAML structure or a shell command.
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0 x\": y' #: - [a, b] $(reboot) `id`; rm -rf / &";
        String user = "o'brien: {sudo: \"ALL\"} #$(id)";
        Files.writeString(dir.resolve("id.pub"), key + "\n");
        GuestSpec guest = guest("user: " + YAML.writeValueAsString(user).replaceFirst("^---\\s*", "").strip());
        Path iso = dir.resolve("seed.iso");

        SeedImage.write(guest, iso);

        assertThat(isoinfo("-d", "-i", iso.toString())).contains("Volume id: " + SeedImage.LABEL);
        assertThat(isoinfo("-R", "-f", "-i", iso.toString()).lines()).containsExactlyInAnyOrder("/meta-data", "/user-data");
        Map<String, Object> meta = YAML.readValue(isoinfo("-R", "-x", "/meta-data", "-i", iso.toString()), MAP);
        assertThat(meta).containsEntry("instance-id", "seeded-l1").containsEntry("local-hostname", "seeded-l1");
        String userData = isoinfo("-R", "-x", "/user-data", "-i", iso.toString());
        assertThat(userData).startsWith("#cloud-config\n");
        Map<String, Object> config = YAML.readValue(userData, MAP);
        assertThat(config.keySet()).containsExactlyInAnyOrder("users", "runcmd");
        List<?> users = (List<?>) config.get("users");
        assertThat(users.get(0)).isEqualTo("default");
        Map<?, ?> account = (Map<?, ?>) users.get(1);
        assertThat(account.get("name")).isEqualTo(user);
        assertThat(account.get("ssh_authorized_keys")).isEqualTo(List.of(key));
        assertThat(Files.getPosixFilePermissions(iso)).extracting(Object::toString).contains("OTHERS_READ");
    }

    @Test
    void aMissingPublicKeyFailsNamingTheFileAndLeavesNoImage() throws Exception {
        GuestSpec guest = guest("user: root");
        Path iso = dir.resolve("seed.iso");

        assertThatThrownBy(() -> SeedImage.write(guest, iso)).hasMessageContaining(dir.resolve("id.pub").toString());
        assertThat(iso).doesNotExist();
    }

    private GuestSpec guest(String userLine) throws Exception {
        return new TopologyReader().read("""
                l1:
                  - name: seeded-l1
                    ssh:
                      identity: %s
                      %s
                """.formatted(dir.resolve("id"), userLine), "seed.yaml").l1().get(0);
    }

    private String isoinfo(String... arguments) throws Exception {
        List<String> words = new ArrayList<>(List.of("isoinfo"));
        words.addAll(List.of(arguments));
        return local.run(Shell.command(words), TIMEOUT).orThrow(local.name()).stdout();
    }
}
