package io.github.nestedvirt.imports;

/**
 * One command timed by {@code time}.
 *
 * @param line the line of the output its wall-clock time was read from
 * @param realSeconds elapsed wall-clock time
 * @param userSeconds CPU time in user mode, or null if not printed
 * @param systemSeconds CPU time in the kernel, or null if not printed
 * @param maxResidentKb peak resident memory in KiB (GNU time only), or null
 * @param command the command line: GNU {@code time -v} names it; a shell's {@code time} where the log shows
 *     the command typed or traced ({@code $ time make}, {@code + time make}); else null
 * @param exitStatus the command's exit status (GNU {@code time -v} only), or null
 * @param format which {@code time} printed it
 */
public record TimedRun(int line, double realSeconds, Double userSeconds, Double systemSeconds, Long maxResidentKb,
        String command, Integer exitStatus, TimeFormat format) {
}
