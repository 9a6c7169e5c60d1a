package io.github.nestedvirt.imports;

/** The output formats of {@code time}. */
public enum TimeFormat {
    /** bash's {@code time} keyword: {@code real 1m2.345s}, {@code user ...}, {@code sys ...}. */
    BASH,
    /** {@code time -p} (POSIX): {@code real 62.34}, {@code user ...}, {@code sys ...}. */
    POSIX,
    /** GNU {@code /usr/bin/time -v}: {@code Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34} and more. */
    GNU_VERBOSE,
    /** GNU {@code /usr/bin/time} default: {@code 1.00user 0.10system 1:02.34elapsed 99%CPU ...}. */
    GNU
}
