package io.vigil.monitor.probe;

import io.vigil.api.type.PropertyValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the built-in probes share: where to probe and how much of the time left to use. */
final class Probes {

    /** Standard property: the ports the resource serves, entries {@code port/protocol}. */
    static final String PORT_LIST = "Port_list";
    /** Extension property: the host to probe. */
    static final String PROBE_HOST = "Probe_host";
    /** The host probed when {@code Probe_host} has no value. */
    static final String DEFAULT_HOST = "127.0.0.1";

    private Probes() {
    }

    /**
     * @param properties the resource's properties
     * @return {@code Probe_host}, or {@value #DEFAULT_HOST} when it has no (or a blank) value
     */
    static String host(PropertyValues properties) {
        return properties.find(PROBE_HOST).map(String::strip).filter(h -> !h.isEmpty()).orElse(DEFAULT_HOST);
    }

    /**
     * @param properties the resource's properties
     * @return the ports of every {@code tcp} entry of {@code Port_list}, in order; empty when
     *     there is none (or no {@code Port_list})
     * @throws IllegalArgumentException if an entry is not {@code port/protocol} with a port in
     *     1..65535
     */
    static List<Integer> tcpPorts(PropertyValues properties) {
        if (!properties.has(PORT_LIST)) {
            return List.of();
        }
        List<Integer> ports = new ArrayList<>();
        for (String entry : properties.getStringArray(PORT_LIST)) {
            int slash = entry.indexOf('/');
            int port = -1;
            if (slash > 0) {
                try {
                    port = Integer.parseInt(entry.substring(0, slash).strip());
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535 || slash == entry.length() - 1) {
                throw new IllegalArgumentException(PORT_LIST + " entry \"" + entry
                        + "\" is not valid; expected port/protocol with a port in 1..65535, e.g. 7100/tcp");
            }
            if (entry.substring(slash + 1).strip().toLowerCase(Locale.ROOT).equals("tcp")) {
                ports.add(port);
            }
        }
        return List.copyOf(ports);
    }

    /**
     * The share of the time left a probe step may use: 95%, leaving the rest for reporting
     * (the DSDL's TCP probe does the same), so that a probe's own timeout is reported before the
     * fault monitor's {@code Probe_timeout} runs out.
     *
     * @param timeLeft the time left before {@code Probe_timeout}
     * @return the budget, or empty when it would be under a millisecond
     */
    static Optional<Duration> budget(Duration timeLeft) {
        Duration share = timeLeft.multipliedBy(95).dividedBy(100);
        return share.toMillis() < 1 ? Optional.empty() : Optional.of(share);
    }

    /** @return {@code host:port}, with an IPv6 address in brackets */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** @return the exception's message, or its type when it has none */
    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** @return the duration in milliseconds, e.g. {@code 950 ms} */
    static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
