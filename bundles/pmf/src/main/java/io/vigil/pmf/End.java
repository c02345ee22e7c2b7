package io.vigil.pmf;

import java.util.Optional;

/**
 * How a supervised tree ended, as its shim reported it: the original program's exit code or
 * signal; or lost, when the shim itself vanished without a report (killed) or the tree died
 * while no agent watched it.
 *
 * @param kind how
 * @param value the exit code or signal number; 0 when lost
 * @param detail why it was lost; empty otherwise
 */
record End(Kind kind, int value, String detail) {

    /** How a tree ended. */
    enum Kind {
        EXIT, SIGNAL, LOST
    }

    static End exit(int code) {
        return new End(Kind.EXIT, code, "");
    }

    static End signal(int signal) {
        return new End(Kind.SIGNAL, signal, "");
    }

    static End lost(String why) {
        return new End(Kind.LOST, 0, why);
    }

    /**
     * @param line a line of the shim's protocol
     * @return the end it reports, or empty when it is not an {@code exit} or {@code signal} line
     */
    static Optional<End> parse(String line) {
        String[] f = line.split(" ");
        if (f.length != 2) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(f[1]);
            return switch (f[0]) {
                case "exit" -> Optional.of(exit(n));
                case "signal" -> Optional.of(signal(n));
                default -> Optional.empty();
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean lost() {
        return kind == Kind.LOST;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EXIT -> "exited with " + value;
            case SIGNAL -> "was killed by signal " + value;
            case LOST -> "was lost (" + detail + ")";
        };
    }
}
