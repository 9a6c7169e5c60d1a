package io.github.nestedvirt.facts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The guest of the KVM probe: a 512-byte boot sector that the BIOS loads at 0000:7C00 and runs in
 * real mode. It writes {@link #MARKER} to the first serial port and then asks qemu's
 * {@code isa-debug-exit} device to end qemu with {@link #EXIT_STATUS}. Seeing the marker proves that
 * guest code really executed under the accelerator; the exit keeps the probe short.
 */
final class ProbeBootSector {

    /** What the guest prints on COM1; a line of its own so that it cannot be mistaken. */
    static final String MARKER = "NVMX-PROBE-GUEST-RAN";

    /** The I/O port of {@code -device isa-debug-exit,iobase=0xf4,iosize=0x04}. */
    static final int DEBUG_EXIT_PORT = 0xf4;

    /** The value the guest writes to the debug-exit port. */
    static final int DEBUG_EXIT_VALUE = 0x2a;

    /** qemu exits with {@code (value << 1) | 1} after a write to the debug-exit port. */
    static final int EXIT_STATUS = (DEBUG_EXIT_VALUE << 1) | 1;

    private static final int LOAD_ADDRESS = 0x7c00;
    private static final int SIZE = 512;

    /** Offset of the message: right after the code in {@link #bytes()}. */
    private static final int MESSAGE_OFFSET = 0x1b;

    private ProbeBootSector() {
    }

    /** The 512 bytes of the boot sector, ending with the 0x55 0xAA boot signature. */
    static byte[] bytes() {
        int message = LOAD_ADDRESS + MESSAGE_OFFSET;
        int[] code = {
            0xfa,                                   // 00 cli                 no interrupts: nothing to handle them
            0xfc,                                   // 01 cld                 lodsb counts upwards
            0x31, 0xc0,                             // 02 xor ax, ax
            0x8e, 0xd8,                             // 04 mov ds, ax          data segment 0: addresses are absolute
            0xbe, message & 0xff, message >> 8,     // 06 mov si, message
            0xba, 0xf8, 0x03,                       // 09 mov dx, 0x3f8       COM1 transmit register
            0xac,                                   // 0C next: lodsb         al = [si++]
            0x84, 0xc0,                             // 0D test al, al
            0x74, 0x03,                             // 0F jz done             (0x11 + 3 = 0x14) at the terminating 0
            0xee,                                   // 11 out dx, al          one character to the serial port
            0xeb, 0xf8,                             // 12 jmp next            (0x14 - 8 = 0x0C)
            0xb0, DEBUG_EXIT_VALUE,                 // 14 done: mov al, 0x2a
            0xe6, DEBUG_EXIT_PORT,                  // 16 out 0xf4, al        qemu exits with (0x2a << 1) | 1 = 85
            0xf4,                                   // 18 halt: hlt           only reached without isa-debug-exit
            0xeb, 0xfd,                             // 19 jmp halt            (0x1B - 3 = 0x18)
        };
        if (code.length != MESSAGE_OFFSET) {
            throw new IllegalStateException("boot sector code is " + code.length + " bytes, message expected at "
                    + MESSAGE_OFFSET);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(SIZE);
        for (int b : code) {
            out.write(b);
        }
        out.writeBytes(("\r\n" + MARKER + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        byte[] sector = new byte[SIZE];
        byte[] written = out.toByteArray();
        System.arraycopy(written, 0, sector, 0, written.length);
        sector[SIZE - 2] = 0x55; // boot signature the BIOS checks before it jumps to 0000:7C00
        sector[SIZE - 1] = (byte) 0xaa;
        return sector;
    }

    /**
     * A {@code printf} format that writes exactly {@link #bytes()}: every byte as an octal escape,
     * which both dash and busybox {@code printf} understand (including {@code \000}).
     */
    static String printfFormat() {
        StringBuilder format = new StringBuilder(SIZE * 4);
        for (byte b : bytes()) {
            format.append('\\').append(String.format("%03o", b & 0xff));
        }
        return format.toString();
    }
}
