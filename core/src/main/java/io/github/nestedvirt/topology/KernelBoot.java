package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Direct kernel boot: libvirt starts the guest from a kernel and initrd on the host, without a
 * boot loader. The command line always carries the seed's serial console
 * ({@value #SERIAL_CONSOLE}), so the guest's serial log shows its boot.
 *
 * @param kernel absolute path of the kernel on the guest's host
 * @param initrd absolute path of the initrd, or null
 * @param cmdline kernel command line, with the serial console ensured
 * @param hostRoot when set, the host's root file system is shared READ-ONLY with the guest over
 *     virtio-9p under this mount tag, for an initrd that mounts it as the guest's root (an L1 that
 *     runs the host's own qemu and libvirt without an image of its own); null for none
 */
public record KernelBoot(String kernel, String initrd, String cmdline, String hostRoot) {

    /** What the seed wants on every guest kernel command line. */
    public static final String SERIAL_CONSOLE = "console=tty0 console=ttyS0,115200";

    public KernelBoot {
        cmdline = withSerialConsole(cmdline);
    }

    public KernelBoot(String kernel, String initrd, String cmdline) {
        this(kernel, initrd, cmdline, null);
    }

    @JsonCreator
    static KernelBoot fromYaml(@JsonProperty("kernel") String kernel, @JsonProperty("initrd") String initrd,
            @JsonProperty("cmdline") String cmdline, @JsonProperty("hostRoot") String hostRoot) {
        if (hostRoot != null && !hostRoot.matches("[A-Za-z0-9_-]{1,31}")) {
            throw new IllegalArgumentException("hostRoot: '" + hostRoot + "' is not a 9p mount tag;"
                    + " use 1 to 31 letters, digits, '-' or '_', e.g. l0root");
        }
        return new KernelBoot(kernel, initrd, cmdline, hostRoot);
    }

    /**
     * Adds the console arguments of {@link #SERIAL_CONSOLE} that {@code cmdline} lacks, before a
     * {@code --} if there is one: what follows it goes to init, not to the kernel.
     */
    public static String withSerialConsole(String cmdline) {
        List<String> words = new ArrayList<>(cmdline == null || cmdline.isBlank() ? List.of()
                : Arrays.asList(cmdline.trim().split("\\s+")));
        int initArguments = words.indexOf("--");
        List<String> kernel = initArguments < 0 ? words : words.subList(0, initArguments);
        for (String console : SERIAL_CONSOLE.split(" ")) {
            if (!kernel.contains(console)) {
                kernel.add(console);
            }
        }
        return String.join(" ", words);
    }
}
