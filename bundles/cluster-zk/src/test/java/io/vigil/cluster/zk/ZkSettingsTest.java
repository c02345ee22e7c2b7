package io.vigil.cluster.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration io.vigil.cluster: its mode, and the checks of zookeeper mode's settings. */
class ZkSettingsTest {

    /** A configuration as DS gives it: the values set, the annotation's defaults for the rest. */
    static ZkClusterComponent.Config config(Map<String, Object> values) {
        return (ZkClusterComponent.Config) Proxy.newProxyInstance(ZkSettingsTest.class.getClassLoader(),
                new Class<?>[] {ZkClusterComponent.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    @Test
    void theModeIsLocalUnlessZookeeperIsAskedFor() {
        assertFalse(ZkClusterComponent.isZookeeper(config(Map.of()).mode()));
        assertTrue(ZkClusterComponent.isZookeeper(" ZooKeeper "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZkClusterComponent.isZookeeper("zk"));
        assertEquals("cluster mode \"zk\" in configuration io.vigil.cluster is not valid; expected local or zookeeper",
                e.getMessage());
    }

    @Test
    void aCompleteConfigurationGivesItsSettings() {
        ZkSettings s = ZkSettings.of(config(Map.of("connect", " zk1:2181,zk2:2181 ", "session_timeout_ms", 2000,
                "node_name", "node-1", "node_addresses", new String[] {"192.0.2.1, 192.0.2.2", " "}, "root", "/ha")));
        assertEquals(new ZkSettings("zk1:2181,zk2:2181", 2000, "node-1", List.of("192.0.2.1", "192.0.2.2"), "/ha"), s);
        assertEquals("/ha/store/groups:web-rg", s.keyPath("groups/web-rg"));
        assertEquals("groups/web-rg", ZkSettings.keyOf("groups:web-rg"));
        assertEquals(4000, config(Map.of()).session_timeout_ms(), "the default session timeout");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "connect|''|connect \"\" in configuration io.vigil.cluster is not valid; expected the ZooKeeper ensemble as "
                + "host:port[,host:port...], e.g. zk1:2181,zk2:2181,zk3:2181",
        "connect|zk1:2181,zk2|connect \"zk1:2181,zk2\" in configuration io.vigil.cluster is not valid; expected "
                + "host:port[,host:port...], e.g. zk1:2181,zk2:2181,zk3:2181 (zk2 has no port)",
        "node_name|node 1|node.name \"node 1\" in configuration io.vigil.cluster is not valid; expected letters, "
                + "digits, '_', '-' and '.' (but not '.' or '..'), e.g. node-1 (it contains ' ')",
        "root|vigil|root \"vigil\" in configuration io.vigil.cluster is not valid; expected an absolute znode path "
                + "such as /vigil (Path must start with / character)",
        "root|/|root \"/\" in configuration io.vigil.cluster is not valid; expected a znode path below /, such as "
                + "/vigil",
    })
    void aWrongSettingIsNamedWithWhatIsExpected(String setting, String value, String message) {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("connect", "zk1:2181", "node_name", "n1"));
        values.put(setting, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZkSettings.of(config(values)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aTooShortSessionTimeoutIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZkSettings.of(
                config(Map.of("connect", "zk1:2181", "node_name", "n1", "session_timeout_ms", 100))));
        assertEquals("session.timeout.ms \"100\" in configuration io.vigil.cluster is not valid; expected at least "
                + "500 milliseconds", e.getMessage());
    }
}
