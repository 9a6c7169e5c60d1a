package io.github.nestedvirt.kvmstat;

/** The output modes of kvm_stat: the three non-interactive ones, and its interactive screen pasted as text. */
public enum KvmStatFormat {
    /** {@code kvm_stat -1}: one line per event, name, total and the count of one second. */
    BATCH,
    /** {@code kvm_stat -l}: a header of event names repeated every 20 lines, then one line of counts per interval. */
    LOG,
    /** {@code kvm_stat -l -c}: a {@code timestamp,event,...} header and comma-separated rows. */
    CSV,
    /**
     * The interactive screen as people paste it into bug reports: {@code kvm statistics - summary}, the heads
     * {@code Event Total %Total CurAvg/s}, a row per event (child events indented under their parent) and a
     * {@code Total} row.
     */
    SCREEN
}
