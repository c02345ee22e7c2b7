package io.vigil.api.command;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Linux signal names and numbers, as {@code kill -l} lists them (the numbering of x86, ARM,
 * AArch64, RISC-V, s390 and PowerPC; Alpha, MIPS, SPARC and PA-RISC number some differently).
 * Names are written without {@code SIG}; {@link #number} accepts them with or without it, in any
 * case.
 */
public final class Signals {

    /** The highest signal number (SIGRTMAX). */
    public static final int MAX = 64;

    private static final int RTMIN = 34;

    private static final String[] NAMES = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS",
        "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP",
        "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};

    private Signals() {
    }

    /**
     * @param signal a signal number
     * @return its name, e.g. {@code KILL} for 9, {@code RTMIN+2} for 36; empty for 32 and 33 (used
     *     by the C library) and for numbers out of range
     */
    public static Optional<String> name(int signal) {
        if (signal >= 1 && signal < NAMES.length) {
            return Optional.of(NAMES[signal]);
        }
        if (signal == RTMIN) {
            return Optional.of("RTMIN");
        }
        if (signal == MAX) {
            return Optional.of("RTMAX");
        }
        if (signal > RTMIN && signal < MAX) {
            return Optional.of("RTMIN+" + (signal - RTMIN));
        }
        return Optional.empty();
    }

    /**
     * @param name a signal name: {@code TERM}, {@code SIGterm}, {@code RTMIN+2}
     * @return its number; empty when it names no signal
     */
    public static OptionalInt number(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        for (int i = 1; i <= MAX; i++) {
            if (name(i).filter(n::equals).isPresent()) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }
}
