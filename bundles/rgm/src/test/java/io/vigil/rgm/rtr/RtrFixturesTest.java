package io.vigil.rgm.rtr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.type.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Parses the two real RTR files kept under {@code src/test/resources/rtr}. */
class RtrFixturesTest {

    static Path resource(String name) throws URISyntaxException {
        return Path.of(RtrFixturesTest.class.getResource("/rtr/" + name).toURI());
    }

    private static PropertyDecl prop(RtrFile f, String name) {
        return f.property(name).orElseThrow(() -> new AssertionError("no property " + name));
    }

    @Test
    void hasamTypeProperties() throws Exception {
        RtrFile f = RtrParser.parse(resource("SUNW.hasam.rtr"));
        assertEquals("hasam", f.resourceType());
        assertEquals(Optional.of("SUNW"), f.vendorId());
        assertEquals("SUNW.hasam", f.fullName());
        assertEquals("4.6", f.version());
        assertEquals("HA-SAM server for Sun Cluster", f.description());
        assertEquals(3, f.apiVersion());
        assertFalse(f.failover());
        assertFalse(f.singleInstance());
        assertEquals("RG_PRIMARIES", f.initNodes());
        assertEquals(Optional.of("/opt/SUNWsamfs/sc/bin"), f.rtBasedir());
        assertEquals(List.of("SUNWhasam"), f.pkglist());
        assertFalse(f.upgradeAware());
        assertEquals(List.of(), f.upgradeFrom());
        assertTrue(f.source().endsWith("SUNW.hasam.rtr"), f.source());
    }

    @Test
    void hasamMethods() throws Exception {
        RtrFile f = RtrParser.parse(resource("SUNW.hasam.rtr"));
        assertEquals(EnumSet.complementOf(EnumSet.of(Method.BOOT)), EnumSet.copyOf(f.methods().keySet()));
        assertEquals("hasam_start", f.methods().get(Method.START));
        assertEquals("hasam_postnet_stop", f.methods().get(Method.POSTNET_STOP));
        assertEquals("hasam_monitor_check", f.methods().get(Method.MONITOR_CHECK));
        assertEquals(Optional.of("/opt/SUNWsamfs/sc/bin/hasam_prenet_start"), f.resolveMethod(Method.PRENET_START));
        assertEquals(Optional.empty(), f.resolveMethod(Method.BOOT));
        assertEquals(300, f.methodTimeout(Method.START));
        assertEquals(Method.DEFAULT_TIMEOUT_SECONDS, f.methodTimeout(Method.INIT));
    }

    @Test
    void hasamTypePropertiesMapKeepsValuesAsWrittenUnderCanonicalNames() throws Exception {
        RtrFile f = RtrParser.parse(resource("SUNW.hasam.rtr"));
        Map<String, List<String>> tp = f.typeProperties();
        assertEquals(List.of("4.6"), tp.get("RT_version"));
        assertEquals(List.of("4.6"), tp.get("rt_VERSION"));
        assertEquals(List.of("FALSE"), tp.get("Failover"));
        assertEquals(List.of("hasam_monitor_start"), tp.get("MONITOR_START"));
        assertTrue(tp.keySet().contains("Monitor_start"));
        assertTrue(tp.keySet().stream().anyMatch("Resource_type"::equals), tp.keySet().toString());
        assertTrue(tp.keySet().stream().anyMatch("Monitor_start"::equals), tp.keySet().toString());
        assertEquals(19, tp.size());
    }

    @Test
    void hasamParamtable() throws Exception {
        RtrFile f = RtrParser.parse(resource("SUNW.hasam.rtr"));
        List<String> names = f.properties().stream().map(PropertyDecl::name).collect(Collectors.toList());
        assertEquals(24, names.size(), names.toString());
        assertEquals("Prenet_start_timeout", names.get(0));
        assertEquals("FailOver_Mode", names.get(8));
        assertEquals("CatalogFileSystem", names.get(23));
        assertEquals(17, f.properties().stream().filter(p -> !p.extension()).count());

        PropertyDecl start = prop(f, "start_TIMEOUT");
        assertEquals(OptionalInt.of(60), start.min());
        assertEquals(OptionalInt.empty(), start.max());
        assertEquals(Optional.of("300"), start.defaultValue());
        assertEquals(Optional.empty(), start.tunable());
        assertEquals(Tunable.ANYTIME, start.effectiveTunable());
        assertEquals(Optional.of(PropertyType.INT), start.effectiveType());
        assertEquals(Optional.empty(), start.type());
        assertEquals(58, prop(f, "Prenet_start_timeout").line());

        PropertyDecl retry = prop(f, "retry_count");
        assertEquals("Retry_Count", retry.name());
        assertFalse(retry.extension());
        assertEquals(Optional.empty(), retry.type());
        assertEquals(OptionalInt.of(10), retry.max());
        assertEquals(OptionalInt.empty(), retry.min());
        assertEquals(Optional.of("2"), retry.defaultValue());
        assertEquals(Optional.of(Tunable.ANYTIME), retry.tunable());

        PropertyDecl mode = prop(f, "Failover_mode");
        assertEquals(Optional.of("SOFT"), mode.defaultValue());
        assertEquals(Optional.of(PropertyType.ENUM), mode.effectiveType());

        PropertyDecl nru = prop(f, "Network_resources_used");
        assertEquals(Tunable.WHEN_DISABLED, nru.effectiveTunable());
        assertEquals(Optional.of(""), nru.defaultValue());

        PropertyDecl ports = prop(f, "Port_list");
        assertEquals(Optional.of(""), ports.defaultValue());
        assertEquals(Optional.of(List.of()), ports.defaultList());
        assertTrue(ports.hasDefault());
        assertEquals(Optional.of(Tunable.AT_CREATION), ports.tunable());
        assertEquals(127, ports.line());
        assertEquals(2, ports.column());

        assertEquals(Optional.of("false"), prop(f, "Scalable").defaultValue());
        assertEquals(Optional.of("LB_WEIGHTED"), prop(f, "Load_balancing_policy").defaultValue());
        assertEquals(Optional.of(""), prop(f, "Load_balancing_weights").defaultValue());
    }

    @Test
    void hasamExtensionProperties() throws Exception {
        RtrFile f = RtrParser.parse(resource("SUNW.hasam.rtr"));

        PropertyDecl probe = prop(f, "Probe_timeout");
        assertTrue(probe.extension());
        assertEquals(Optional.of(PropertyType.INT), probe.type());
        assertEquals(OptionalInt.of(2), probe.min());
        assertEquals(OptionalInt.empty(), probe.max());
        assertEquals(Optional.of("120"), probe.defaultValue());
        assertEquals(Tunable.ANYTIME, probe.effectiveTunable());
        assertEquals(Optional.of("Time out value for the probe (seconds)"), probe.description());
        assertFalse(probe.perNode());
        assertEquals(187, probe.line());

        assertEquals(Optional.of("-1"), prop(f, "Child_mon_level").defaultValue());
        assertEquals(Optional.of("4"), prop(f, "Monitor_retry_count").defaultValue());

        PropertyDecl confdir = prop(f, "Confdir_list");
        assertEquals(Optional.of(PropertyType.STRINGARRAY), confdir.type());
        assertEquals(Optional.of(""), confdir.defaultValue());
        assertEquals(Tunable.AT_CREATION, confdir.effectiveTunable());

        PropertyDecl qfs = prop(f, "QFSName");
        assertEquals(Optional.of(PropertyType.STRINGARRAY), qfs.type());
        assertEquals(Optional.empty(), qfs.defaultValue());
        assertFalse(qfs.hasDefault());

        PropertyDecl catalog = prop(f, "CatalogFileSystem");
        assertEquals(Optional.of(PropertyType.STRING), catalog.type());
        assertEquals(Optional.of(Tunable.WHEN_DISABLED), catalog.tunable());
        assertEquals(List.of(), catalog.enumValues());
    }

    @Test
    void xfnts() throws Exception {
        RtrFile f = RtrParser.parse(resource("SUNW.xfnts.rtr"));
        assertEquals("SUNW.xfnts", f.fullName());
        assertEquals("1.0", f.version());
        assertEquals(2, f.apiVersion());
        assertTrue(f.failover());
        assertEquals(EnumSet.of(Method.START, Method.STOP, Method.VALIDATE, Method.UPDATE, Method.MONITOR_START,
                Method.MONITOR_STOP, Method.MONITOR_CHECK), EnumSet.copyOf(f.methods().keySet()));
        assertEquals(Optional.of("/opt/SUNWxfnts/bin/xfnts_monitor_check"), f.resolveMethod(Method.MONITOR_CHECK));
        assertEquals(List.of("SUNWxfnts"), f.pkglist());

        assertEquals(List.of("Confdir_list", "Port_list"),
                f.properties().stream().map(PropertyDecl::name).collect(Collectors.toList()));
        PropertyDecl confdir = prop(f, "Confdir_list");
        assertTrue(confdir.extension());
        assertEquals(Optional.of(PropertyType.STRINGARRAY), confdir.type());
        assertEquals(Optional.empty(), confdir.defaultValue());
        assertEquals(Optional.of(Tunable.AT_CREATION), confdir.tunable());
        assertEquals(Optional.of("The Configuration Directory Path(s)"), confdir.description());
        assertEquals(37, confdir.line());

        PropertyDecl ports = prop(f, "port_list");
        assertFalse(ports.extension());
        assertEquals(Optional.of("7100/tcp"), ports.defaultValue());
        assertEquals(Optional.of(List.of("7100/tcp")), ports.defaultList());
        assertEquals(Tunable.AT_CREATION, ports.effectiveTunable());
    }
}
