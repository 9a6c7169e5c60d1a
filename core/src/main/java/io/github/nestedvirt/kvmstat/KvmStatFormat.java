package io.github.nestedvirt.kvmstat;

/** The non-interactive output modes of kvm_stat. */
public enum KvmStatFormat {
    /** {@code kvm_stat -1}: one line per event, name, total and the count of one second. */
    BATCH,
    /** {@code kvm_stat -l}: a header of event names repeated every 20 lines, then one line of counts per interval. */
    LOG,
    /** {@code kvm_stat -l -c}: a {@code timestamp,event,...} header and comma-separated rows. */
    CSV
}
