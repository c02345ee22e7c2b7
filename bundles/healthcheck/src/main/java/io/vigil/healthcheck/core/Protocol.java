package io.vigil.healthcheck.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a responder talks to its clients. */
public enum Protocol {
    /**
     * GGHealthCheck's: read up to 128 bytes (until a newline, the client's half-close or the
     * timeout), send them back with {@code server = UP} or {@code server = DOWN} appended, close.
     */
    GGHEALTHCHECK("gghealthcheck"),
    /**
     * HAProxy's agent-check: on connect, send one line such as {@code up 100%} or
     * {@code drain down #reason}, close. Whatever the client sends is ignored.
     */
    HAPROXY_AGENT("haproxy-agent");

    private final String key;

    Protocol(String key) {
        this.key = key;
    }

    /** @return the name used in configuration */
    public String key() {
        return key;
    }

    /**
     * @param value a configured protocol name, in any case
     * @return the protocol
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Protocol parse(String value) {
        for (Protocol p : values()) {
            if (p.key.equalsIgnoreCase(value.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("protocol '" + value + "' is unknown; expected one of "
                + Arrays.stream(values()).map(Protocol::key).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return key.toLowerCase(Locale.ROOT);
    }
}
