package io.vigil.pgpool.codec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The result type bytes. {@link #PGPOOL} is what every real watchdog since 3.7 speaks (and what
 * pgpool's own {@code wd_cli} and {@code pcp_watchdog_info} expect); {@link #MANUAL} is the table
 * of the Pgpool-II manual, for clients written from it.
 */
public enum Dialect {
    /** '7' OK (also the nodes list), '6' bad, '5' in transition, '8' timeout. */
    PGPOOL((byte) '7', (byte) '6', (byte) '5', (byte) '8', (byte) '7'),
    /** '9' OK, '8' bad, '7' in transition, '4' nodes list data; no timeout byte (sent as bad). */
    MANUAL((byte) '9', (byte) '8', (byte) '7', (byte) '8', (byte) '4');

    private final byte ok;
    private final byte bad;
    private final byte inTransition;
    private final byte timeout;
    private final byte nodesList;

    Dialect(byte ok, byte bad, byte inTransition, byte timeout, byte nodesList) {
        this.ok = ok;
        this.bad = bad;
        this.inTransition = inTransition;
        this.timeout = timeout;
        this.nodesList = nodesList;
    }

    /**
     * @param result a meaning
     * @return the byte this dialect sends for it
     */
    public byte code(Result result) {
        return switch (result) {
            case OK -> ok;
            case BAD -> bad;
            case IN_TRANSITION -> inTransition;
            case TIMEOUT -> timeout;
            case NODES_LIST_DATA -> nodesList;
        };
    }

    /**
     * Reads a reply's type byte. In {@link #MANUAL} '8' reads as {@link Result#BAD}.
     *
     * @param code a reply type byte
     * @return its meaning, or empty when this dialect has no such result
     */
    public Optional<Result> result(byte code) {
        if (code == bad) {
            return Optional.of(Result.BAD);
        }
        if (code == ok) {
            return Optional.of(Result.OK);
        }
        if (code == nodesList) {
            return Optional.of(Result.NODES_LIST_DATA);
        }
        if (code == inTransition) {
            return Optional.of(Result.IN_TRANSITION);
        }
        if (code == timeout) {
            return Optional.of(Result.TIMEOUT);
        }
        return Optional.empty();
    }

    /**
     * @param name {@code pgpool} or {@code manual}, any case
     * @return the dialect
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Dialect parse(String name) {
        for (Dialect d : values()) {
            if (d.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("dialect \"" + name + "\" is not known; expected one of "
                + Arrays.stream(values()).map(d -> d.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
