package io.vigil.rgm.rtr;

import java.util.Locale;
import java.util.Optional;

/** When an administrator may change a resource property (the RTR {@code TUNABLE} attribute). */
public enum Tunable {
    /** Never ({@code NONE} or {@code FALSE}). */
    NONE,
    /** At any time ({@code ANYTIME} or {@code TRUE}). */
    ANYTIME,
    /** Only when the resource is created ({@code AT_CREATION}). */
    AT_CREATION,
    /** Only while the resource is disabled ({@code WHEN_DISABLED}). */
    WHEN_DISABLED;

    /**
     * Reads a {@code TUNABLE} value, ignoring case.
     *
     * @param text {@code NONE}, {@code FALSE}, {@code TRUE}, {@code ANYTIME}, {@code AT_CREATION}
     *        or {@code WHEN_DISABLED}
     * @return the tunability, or empty when the text is none of these
     */
    public static Optional<Tunable> fromRtr(String text) {
        switch (text.toUpperCase(Locale.ROOT)) {
            case "NONE":
            case "FALSE":
                return Optional.of(NONE);
            case "ANYTIME":
            case "TRUE":
                return Optional.of(ANYTIME);
            case "AT_CREATION":
                return Optional.of(AT_CREATION);
            case "WHEN_DISABLED":
                return Optional.of(WHEN_DISABLED);
            default:
                return Optional.empty();
        }
    }
}
