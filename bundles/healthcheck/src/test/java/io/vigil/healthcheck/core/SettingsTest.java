package io.vigil.healthcheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final String SAMPLE = """
            ; GGHealthCheck.ini as shipped with GGHealthCheck
            [default]
            mode = S
            host = ::1
            port = 5491
            interval = 10
            repeat = -1
            clSleep = 3
            svSleep = 2.5
            clTimeout = 5
            svTimeout = 10
            logd = "/var/log/gghc"
            command = /usr/local/bin/GMCheckRaw -q
            errorCode = 9999
            """;

    private static Settings parse(String text) {
        return Settings.of("GGHealthCheck", IniFile.parse("GGHealthCheck.ini", List.of(text.split("\n"))));
    }

    @Test
    void readsTheOriginalKeys() {
        Settings s = parse(SAMPLE);
        assertEquals('S', s.mode());
        assertEquals("::1", s.host());
        assertEquals(5491, s.port());
        assertEquals(Duration.ofSeconds(10), s.interval());
        assertEquals(-1, s.repeat());
        assertEquals(Duration.ofSeconds(3), s.clSleep());
        assertEquals(Duration.ofMillis(2500), s.svSleep());
        assertEquals(Duration.ofSeconds(5), s.clTimeout());
        assertEquals(Duration.ofSeconds(10), s.svTimeout());
        assertEquals(Optional.of(Path.of("/var/log/gghc")), s.logd());
        assertEquals("/usr/local/bin/GMCheckRaw -q", s.command());
        assertEquals(Protocol.GGHEALTHCHECK, s.protocol());
        assertEquals("2.5", s.toMap().get("svSleep"));
    }

    @Test
    void keysAreCaseInsensitiveAndDefaultsFillTheRest() {
        Settings s = parse("[DEFAULT]\nSVTIMEOUT=20\nProtocol = HAProxy-Agent\n");
        assertEquals(Duration.ofSeconds(20), s.svTimeout());
        assertEquals(Protocol.HAPROXY_AGENT, s.protocol());
        assertEquals(4910, s.port());
        assertEquals("*agent", s.command());
        assertEquals(List.of("OK", "DEGRADED"), s.upStatuses());
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("[default]\nport = 1\nprot = 2\n"));
        assertEquals("GGHealthCheck.ini line 3: unknown key 'prot'; expected one of " + String.join(", ", Settings.KEYS),
                e.getMessage());
    }

    @Test
    void unsupportedKeysAndValuesSayWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("[default]\nsql3 = /x.db\n"));
        assertEquals("GGHealthCheck.ini line 2: key 'sql3' is not supported: " + Settings.UNSUPPORTED.get("sql3"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("[default]\nerrorCode = 1\n"));
        assertEquals("errorCode = '1' is invalid; it is fixed at 9999", e.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndWhatWasExpected() {
        Map<String, String> expected = Map.of(
                "port = 70000", "port = '70000' is invalid; expected an integer from 0 to 65535",
                "svTimeout = 0", "svTimeout = '0' is invalid; expected a number of seconds greater than 0, e.g. 5 or 0.5",
                "clSleep = -1", "clSleep = '-1' is invalid; expected a number of seconds (0 or more), e.g. 5 or 0.5",
                "mode = X", "mode = 'X' is invalid; expected S (server) or C (client)",
                "repeat = 0", "repeat = 0 is invalid; expected a number of checks, or -1 for ever",
                "logd = relative/dir", "logd = 'relative/dir' is invalid; expected an absolute path",
                "protocol = http", "protocol: protocol 'http' is unknown; expected one of gghealthcheck, haproxy-agent");
        expected.forEach((line, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("[default]\n" + line));
            assertEquals(message, e.getMessage());
        });
    }

    @Test
    void theFileStructureIsChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("port = 1\n"));
        assertEquals("GGHealthCheck.ini line 1: a setting before [default]; expected it inside [default]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("[other]\n"));
        assertEquals("GGHealthCheck.ini line 1: section [other] is unknown; expected [default]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("[default]\nport 1\n"));
        assertEquals("GGHealthCheck.ini line 2: 'port 1' is not a setting; expected key = value", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("[default]\nport=1\nPORT=2\n"));
        assertEquals("GGHealthCheck.ini line 3: port is set twice; expected each key once", e.getMessage());
    }

    @Test
    void svTimeoutIsAtLeastClTimeoutPlusFiveWhenBothAreGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("[default]\nclTimeout = 5\nsvTimeout = 9.5\n"));
        assertEquals("svTimeout = 9.5 is too short for clTimeout = 5; expected svTimeout of at least clTimeout + 5"
                + " seconds (10)", e.getMessage());
        assertEquals(Duration.ofSeconds(10), parse("[default]\nclTimeout = 5\nsvTimeout = 10\n").svTimeout());
        // one of them alone is not held to the other's default: a responder whose client is a load balancer
        assertEquals(Duration.ofSeconds(2), parse("[default]\nsvTimeout = 2\n").svTimeout());
        assertEquals(Duration.ofSeconds(8), parse("[default]\nclTimeout = 8\n").clTimeout());
    }
}
