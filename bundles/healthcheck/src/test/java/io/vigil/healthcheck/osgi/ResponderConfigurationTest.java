package io.vigil.healthcheck.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.healthcheck.core.Settings;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponderConfigurationTest {

    /** The typed configuration as DS makes it: the default of each attribute (the keys under test are none). */
    private static final ResponderConfiguration.Config DEFAULTS = (ResponderConfiguration.Config) Proxy.newProxyInstance(
            ResponderConfigurationTest.class.getClassLoader(), new Class<?>[] {ResponderConfiguration.Config.class},
            (proxy, method, args) -> method.getDefaultValue());

    private static Settings settings(String... keyValues) {
        Map<String, Object> properties = new HashMap<>(Map.of("service.pid", "io.vigil.healthcheck~web",
                "felix.fileinstall.filename", "file:/opt/vigil/etc/io.vigil.healthcheck-web.cfg"));
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return ResponderConfiguration.settings("web", DEFAULTS, properties);
    }

    private static String refusal(String... keyValues) {
        return assertThrows(IllegalArgumentException.class, () -> settings(keyValues)).getMessage();
    }

    @Test
    void theResponderKeysAndTheFrameworksAreAccepted() {
        Settings s = settings("port", "5000", "svSleep", "2", "mode", "S", "errorCode", "9999");
        assertEquals('S', s.mode());
        assertEquals(Duration.ofSeconds(10), s.svTimeout());
    }

    @Test
    void clientKeysAreRefusedNamingTheKey() {
        for (String key : Settings.CLIENT_KEYS) {
            assertEquals("key '" + key + "' is a setting of GGHealthCheck's client, which a responder does not use;"
                    + " expected one of " + String.join(", ", ResponderConfiguration.KEYS), refusal(key, "5"));
        }
    }

    @Test
    void modeAndErrorCodeAreCheckedAsInAnIniFile() {
        assertEquals("errorCode = '1' is invalid; it is fixed at 9999", refusal("errorCode", "1"));
        assertEquals("mode = 'X' is invalid; expected S (server) or C (client)", refusal("mode", "X"));
        // mode C passes here and is refused by HealthChecks.start, as for a GGHealthCheck.ini
        assertEquals('C', settings("mode", "c").mode());
    }

    @Test
    void unsupportedAndUnknownKeysAreRefused() {
        assertEquals("key 'sql3' is not supported: " + Settings.UNSUPPORTED.get("sql3"), refusal("sql3", "/x.db"));
        assertEquals("unknown key 'prot'; expected one of " + String.join(", ", ResponderConfiguration.KEYS),
                refusal("prot", "2"));
    }

    @Test
    void aKeyInTheWrongCaseIsRefusedWithItsSpelling() {
        assertEquals("key 'svsleep' is misspelled; expected 'svSleep' (the keys of a configuration are case-sensitive)",
                refusal("svsleep", "1"));
        assertEquals("key 'Port' is misspelled; expected 'port' (the keys of a configuration are case-sensitive)",
                refusal("Port", "1"));
        assertEquals("key 'NAME' is misspelled; expected 'name' (the keys of a configuration are case-sensitive)",
                refusal("NAME", "x"));
        assertEquals("key 'CLTIMEOUT' is a setting of GGHealthCheck's client, which a responder does not use;"
                + " expected one of " + String.join(", ", ResponderConfiguration.KEYS), refusal("CLTIMEOUT", "1"));
    }
}
