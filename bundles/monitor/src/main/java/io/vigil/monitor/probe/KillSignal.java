package io.vigil.monitor.probe;

import io.vigil.api.command.Signals;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The signals a probe command may be sent when it runs past its timeout, as {@code scds_timerun}'s
 * {@code signal} argument (its default, SIGKILL, included). Numbers are Linux's ({@link Signals}).
 */
enum KillSignal {
    HUP, INT, QUIT, ABRT, KILL, USR1, USR2, ALRM, TERM;

    /** @return the signal number */
    int number() {
        return Signals.number(name()).orElseThrow();
    }

    /** @return the name as {@code kill -l} and logs show it, e.g. {@code SIGTERM} */
    String displayName() {
        return "SIG" + name();
    }

    /**
     * @param property the property the value comes from, for the message
     * @param value a signal name, with or without {@code SIG}, in any case: {@code TERM}, {@code SIGterm}
     * @return the signal
     * @throws IllegalArgumentException naming the value and the accepted names, if it is none of them
     */
    static KillSignal parse(String property, String value) {
        int number = Signals.number(value).orElse(-1);
        for (KillSignal s : values()) {
            if (s.number() == number) {
                return s;
            }
        }
        throw new IllegalArgumentException(property + " = \"" + value + "\" is not a signal name; expected one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + " (SIG prefix optional)");
    }
}
