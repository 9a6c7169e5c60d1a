package io.github.nestedvirt.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of a cloud-init NoCloud seed (the {@code cidata} ISO): {@code meta-data} names the
 * instance and host, {@code user-data} authorizes the engine's SSH key and puts the seed's serial
 * console on the kernel command line of the installed system. Written with a YAML writer, so a
 * key comment or name cannot change the document's structure.
 */
public final class CloudInitSeed {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    /**
     * Adds the serial console to the boot loader's kernel command line (grubby on Fedora/RHEL,
     * /etc/default/grub on Debian); it applies from the next boot, the first one already logs
     * through the image's own console settings.
     */
    static final String SERIAL_CONSOLE_COMMAND = "if command -v grubby >/dev/null; then"
            + " grubby --update-kernel=ALL --args='" + KernelBoot.SERIAL_CONSOLE + "';"
            + " elif [ -f /etc/default/grub ]; then"
            + " sed -i 's/^GRUB_CMDLINE_LINUX=\"/GRUB_CMDLINE_LINUX=\"" + KernelBoot.SERIAL_CONSOLE + " /' /etc/default/grub"
            + " && (update-grub || grub2-mkconfig -o /boot/grub2/grub.cfg); fi";

    private CloudInitSeed() {
    }

    /** {@code meta-data}: instance id and host name are the guest's name. */
    public static String metaData(GuestSpec guest) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("instance-id", guest.name());
        data.put("local-hostname", guest.name());
        return write(data);
    }

    /**
     * {@code user-data}: a {@code #cloud-config} that authorizes {@code publicKey} for the guest's
     * SSH user (root, or a user created with password-less sudo) and sets the serial console.
     *
     * @param publicKey the OpenSSH public key line, e.g. {@code ssh-ed25519 AAAA... comment}
     */
    public static String userData(GuestSpec guest, String publicKey) {
        String key = publicKey.strip();
        if (key.isEmpty() || key.contains("\n")) {
            throw new IllegalArgumentException("publicKey: must be one OpenSSH public key line");
        }
        Map<String, Object> config = new LinkedHashMap<>();
        String user = guest.ssh().user();
        if ("root".equals(user)) {
            config.put("disable_root", false);
            config.put("ssh_authorized_keys", List.of(key));
        } else {
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("name", user);
            account.put("sudo", "ALL=(ALL) NOPASSWD:ALL");
            account.put("shell", "/bin/sh");
            account.put("ssh_authorized_keys", List.of(key));
            config.put("users", List.of("default", account));
        }
        config.put("runcmd", List.of(List.of("sh", "-c", SERIAL_CONSOLE_COMMAND)));
        return "#cloud-config\n" + write(config);
    }

    private static String write(Map<String, Object> data) {
        try {
            return YAML.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }
}
