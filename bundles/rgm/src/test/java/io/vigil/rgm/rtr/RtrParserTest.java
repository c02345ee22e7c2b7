package io.vigil.rgm.rtr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.type.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Grammar features of RTR files, on small inline texts. */
class RtrParserTest {

    private static final String MINIMAL = "RESOURCE_TYPE = x;\nSTART = s;\nSTOP = t;\n";

    private static RtrFile parse(String text) throws RtrException {
        return RtrParser.parse("t.rtr", text);
    }

    private static PropertyDecl prop(RtrFile f, String name) {
        return f.property(name).orElseThrow(() -> new AssertionError("no property " + name));
    }

    @Test
    void defaultsOfAMinimalFile() throws Exception {
        RtrFile f = parse(MINIMAL);
        assertEquals("x", f.resourceType());
        assertEquals(Optional.empty(), f.vendorId());
        assertEquals("x", f.fullName());
        assertEquals("", f.version());
        assertEquals("", f.description());
        assertEquals(Optional.empty(), f.rtBasedir());
        assertEquals(2, f.apiVersion());
        assertFalse(f.failover());
        assertFalse(f.singleInstance());
        assertEquals("RG_PRIMARIES", f.initNodes());
        assertEquals(List.of(), f.pkglist());
        assertFalse(f.upgradeAware());
        assertEquals(List.of(), f.properties());
        assertEquals(Optional.empty(), f.property("Start_timeout"));
        assertEquals(Map.of(Method.START, "s", Method.STOP, "t"), f.methods());
        assertEquals(Optional.of("s"), f.resolveMethod(Method.START), "relative path stays without RT_basedir");
        assertEquals(Method.DEFAULT_TIMEOUT_SECONDS, f.methodTimeout(Method.START));
    }

    @Test
    void prenetStartAndPostnetStopSatisfyTheRequiredMethods() throws Exception {
        RtrFile f = parse("RESOURCE_TYPE = x;\nPRENET_START = a;\nPOSTNET_STOP = b;\n");
        assertEquals(Map.of(Method.PRENET_START, "a", Method.POSTNET_STOP, "b"), f.methods());
    }

    @Test
    void keywordsIgnoreCase() throws Exception {
        RtrFile f = parse("resource_type = x;\nVendor_Id = v;\nstart = a;\nStop = b;\nmonitor_CHECK = c;\n"
                + "rt_basedir = /b;\nfailover = true;\ninit_nodes = rt_installed_nodes;\n"
                + "{ property = foo; extension; int; default = 3; tunable = when_disabled; min = 1; per_node; }\n"
                + "{ Property = Failover_Mode; Default = soft; }\n"
                + "{ PROPERTY = bar; Extension; Enum { One, Two }; DEFAULT = two; }\n");
        assertEquals("v.x", f.fullName());
        assertTrue(f.failover());
        assertEquals("RT_INSTALLED_NODES", f.initNodes());
        assertEquals(Optional.of("/b/c"), f.resolveMethod(Method.MONITOR_CHECK));
        assertTrue(f.typeProperties().keySet().stream().anyMatch("Vendor_id"::equals), f.typeProperties().toString());
        assertTrue(f.typeProperties().keySet().stream().anyMatch("Monitor_check"::equals));
        assertEquals(List.of("rt_installed_nodes"), f.typeProperties().get("INIT_NODES"));
        PropertyDecl foo = prop(f, "FOO");
        assertTrue(foo.extension());
        assertEquals(Optional.of(PropertyType.INT), foo.type());
        assertEquals(Optional.of(Tunable.WHEN_DISABLED), foo.tunable());
        assertEquals(OptionalInt.of(1), foo.min());
        assertTrue(foo.perNode());
        assertEquals(Optional.of("soft"), prop(f, "failover_mode").defaultValue());
        assertEquals(List.of("One", "Two"), prop(f, "BAR").enumValues());
    }

    @Test
    void laterInitNodesSpellingMeansRgPrimaries() throws Exception {
        assertEquals("RG_PRIMARIES", parse(MINIMAL + "Init_nodes = RG_nodelist;\n").initNodes());
    }

    @Test
    void quotedValuesKeepHashesBlanksAndPunctuation() throws Exception {
        RtrFile f = parse("RESOURCE_TYPE = \"x\"; # trailing comment; { = }\n"
                + "RT_DESCRIPTION = \"a # not a comment; {x} = y, z\";\n"
                + "START = \"/opt/my dir/start\";\nSTOP = t;#comment right after\n"
                + "{\n\tPROPERTY = Foo; EXTENSION; STRING;\n\tDEFAULT = \"#1\";\n"
                + "\tDESCRIPTION = \"Use # for ports; e.g. 7100/tcp\";\n}\n");
        assertEquals("x", f.resourceType());
        assertEquals("a # not a comment; {x} = y, z", f.description());
        assertEquals("/opt/my dir/start", f.methods().get(Method.START));
        assertEquals("t", f.methods().get(Method.STOP));
        assertEquals(Optional.of("#1"), prop(f, "Foo").defaultValue());
        assertEquals(Optional.of("Use # for ports; e.g. 7100/tcp"), prop(f, "Foo").description());
    }

    @Test
    void commentsAndBlankLinesAnywhere() throws Exception {
        RtrFile f = parse("# header\n\nRESOURCE_TYPE # name follows\n = \n x # value\n ;\n"
                + "START = s; STOP = t;\n{ # entry\n PROPERTY = Retry_count; # c\n MAX = 10;\n}\n# end");
        assertEquals("x", f.resourceType());
        assertEquals(OptionalInt.of(10), prop(f, "Retry_count").max());
        assertEquals(9, prop(f, "Retry_count").line());
        assertEquals(2, prop(f, "Retry_count").column());
    }

    @Test
    void bareBooleansMeanTrue() throws Exception {
        RtrFile f = parse(MINIMAL + "FAILOVER;\nSINGLE_INSTANCE = TRUE;\nRT_SYSTEM = FALSE;\nPROXY;\n"
                + "{ PROPERTY = Flag; EXTENSION; BOOLEAN; DEFAULT = FALSE; TUNABLE; }\n"
                + "{ PROPERTY = Sys; EXTENSION = FALSE; DEFAULT = 5; }\n");
        assertTrue(f.failover());
        assertTrue(f.singleInstance());
        assertEquals(List.of("TRUE"), f.typeProperties().get("Failover"));
        assertEquals(List.of("FALSE"), f.typeProperties().get("RT_system"));
        assertEquals(List.of("TRUE"), f.typeProperties().get("proxy"));
        PropertyDecl flag = prop(f, "Flag");
        assertTrue(flag.extension());
        assertEquals(Optional.of(Tunable.ANYTIME), flag.tunable());
        assertFalse(prop(f, "Sys").extension());
    }

    @Test
    void upgradeDirectives() throws Exception {
        RtrFile f = parse(MINIMAL + "RT_VERSION = \"5.0\";\n\n#$upgrade\n#$upgrade_from \"4.6\" anytime\n"
                + "#$UPGRADE_FROM \"\" WHEN_UNMANAGED   # pre-versioning\n#$upgrade_from \"4.5\"when_offline\n\n"
                + "{ PROPERTY = Retry_count; }\n");
        assertTrue(f.upgradeAware());
        assertEquals(List.of(new UpgradeFrom("4.6", "anytime"), new UpgradeFrom("", "when_unmanaged"),
                new UpgradeFrom("4.5", "when_offline")), f.upgradeFrom());
        assertEquals("5.0", f.version());
        assertEquals(1, f.properties().size());
    }

    @Test
    void upgradeWithoutUpgradeFrom() throws Exception {
        RtrFile f = parse(MINIMAL + "#$upgrade\n");
        assertTrue(f.upgradeAware());
        assertEquals(List.of(), f.upgradeFrom());
    }

    @Test
    void hashDollarInsideACommentIsNoDirective() throws Exception {
        RtrFile f = parse(MINIMAL + "# see #$upgrade_from in rt_reg(4)\n{ PROPERTY = Retry_count; }\n");
        assertFalse(f.upgradeAware());
    }

    @Test
    void enumForms() throws Exception {
        RtrFile f = parse(MINIMAL + "{ PROPERTY = Mode; EXTENSION; ENUM { Timeout, Auto, Cluster }; DEFAULT = \"Auto\"; }\n"
                + "{ PROPERTY = Level; EXTENSION; ENUMLIST { low, \"high\" }; DEFAULT = HIGH; }\n"
                + "{ PROPERTY = Color; EXTENSION; ENUM = red, green; }\n");
        PropertyDecl mode = prop(f, "Mode");
        assertEquals(Optional.of(PropertyType.ENUM), mode.type());
        assertEquals(List.of("Timeout", "Auto", "Cluster"), mode.enumValues());
        assertEquals(Optional.of("Auto"), mode.defaultValue());
        assertEquals(List.of("low", "high"), prop(f, "Level").enumValues());
        assertEquals(Optional.of(PropertyType.ENUM), prop(f, "Level").type());
        assertEquals(List.of("red", "green"), prop(f, "Color").enumValues());
    }

    @Test
    void listDefaults() throws Exception {
        RtrFile f = parse(MINIMAL + "PKGLIST = SUNWa, \"SUNWb\",\n SUNWc;\n"
                + "{ PROPERTY = Dirs; EXTENSION; STRINGARRAY; DEFAULT = /a, \"/b c\", /d; ARRAY_MINSIZE = 1;"
                + " ARRAY_MAXSIZE = 4; MINLENGTH = 2; MAXLENGTH = 64; }\n"
                + "{ PROPERTY = None; EXTENSION; STRINGARRAY; DEFAULT = ; }\n"
                + "{ PROPERTY = Empty; EXTENSION; STRING; DEFAULT = \"\"; }\n");
        assertEquals(List.of("SUNWa", "SUNWb", "SUNWc"), f.pkglist());
        PropertyDecl dirs = prop(f, "Dirs");
        assertEquals(Optional.of("/a,/b c,/d"), dirs.defaultValue());
        assertEquals(Optional.of(List.of("/a", "/b c", "/d")), dirs.defaultList());
        assertEquals(OptionalInt.of(1), dirs.arrayMinSize());
        assertEquals(OptionalInt.of(4), dirs.arrayMaxSize());
        assertEquals(OptionalInt.of(2), dirs.minLength());
        assertEquals(OptionalInt.of(64), dirs.maxLength());
        assertEquals(Optional.of(""), prop(f, "None").defaultValue());
        assertEquals(Optional.of(List.of()), prop(f, "None").defaultList());
        assertEquals(Optional.of(""), prop(f, "Empty").defaultValue());
    }

    @Test
    void tunability() throws Exception {
        RtrFile f = parse(MINIMAL + "{ PROPERTY = Ext; EXTENSION; INT; DEFAULT = 1; }\n"
                + "{ PROPERTY = Cheap_probe_interval; DEFAULT = 30; }\n"
                + "{ PROPERTY = Retry_interval; DEFAULT = 300; }\n"
                + "{ PROPERTY = Never; EXTENSION; STRING; TUNABLE = FALSE; }\n"
                + "{ PROPERTY = Always; EXTENSION; STRING; TUNABLE = TRUE; }\n"
                + "{ PROPERTY = Fixed; EXTENSION; STRING; TUNABLE = NONE; }\n");
        assertEquals(Optional.empty(), prop(f, "Ext").tunable());
        assertEquals(Tunable.ANYTIME, prop(f, "Ext").effectiveTunable());
        assertEquals(Tunable.WHEN_DISABLED, prop(f, "Cheap_probe_interval").effectiveTunable());
        assertEquals(Tunable.ANYTIME, prop(f, "Retry_interval").effectiveTunable());
        assertEquals(Optional.of(Tunable.NONE), prop(f, "Never").tunable());
        assertEquals(Optional.of(Tunable.ANYTIME), prop(f, "Always").tunable());
        assertEquals(Tunable.NONE, prop(f, "Fixed").effectiveTunable());
    }

    @Test
    void resolveMethodAgainstRtBasedir() throws Exception {
        RtrFile f = parse("RESOURCE_TYPE = x;\nRT_BASEDIR = /opt/x/bin/;\nSTART = start;\nSTOP = /usr/bin/stop;\n"
                + "INIT = ../lib/init;\n");
        assertEquals(Optional.of("/opt/x/bin/start"), f.resolveMethod(Method.START));
        assertEquals(Optional.of("/usr/bin/stop"), f.resolveMethod(Method.STOP));
        assertEquals(Optional.of("/opt/x/bin/../lib/init"), f.resolveMethod(Method.INIT));
        assertEquals("start", f.methods().get(Method.START));
        assertEquals(Optional.empty(), f.resolveMethod(Method.FINI));
    }

    @Test
    void methodTimeoutsComeFromTheirEntries() throws Exception {
        RtrFile f = parse(MINIMAL + "{ PROPERTY = STOP_TIMEOUT; MIN = 10; DEFAULT = 45; }\n");
        assertEquals(45, f.methodTimeout(Method.STOP));
        assertEquals(3600, f.methodTimeout(Method.START));
    }

    @Test
    void perNodeWithDefault() throws Exception {
        RtrFile f = parse(MINIMAL + "{ PROPERTY = Home; EXTENSION; STRING; PER_NODE = TRUE; DEFAULT = /h; }\n"
                + "{ PROPERTY = Other; EXTENSION; STRING; PER_NODE = false; }\n");
        assertTrue(prop(f, "Home").perNode());
        assertFalse(prop(f, "Other").perNode());
    }

    @Test
    void intDefaultsAtTheBoundsAndUnknownSystemPropertiesAreAccepted() throws Exception {
        RtrFile f = parse(MINIMAL + "{ PROPERTY = N; EXTENSION; INT; MIN = -5; MAX = 5; DEFAULT = -5; }\n"
                + "{ PROPERTY = M; EXTENSION; INT; MIN = -5; MAX = 5; DEFAULT = 5; }\n"
                + "{ PROPERTY = Some_future_property; DEFAULT = whatever; TUNABLE = AT_CREATION; }\n");
        assertEquals(Optional.of("-5"), prop(f, "N").defaultValue());
        assertEquals(OptionalInt.of(-5), prop(f, "N").min());
        assertEquals(Optional.empty(), prop(f, "Some_future_property").effectiveType());
        assertEquals(Tunable.AT_CREATION, prop(f, "Some_future_property").effectiveTunable());
    }

    @Test
    void resultIsImmutable() throws Exception {
        RtrFile f = parse(MINIMAL + "PKGLIST = a;\n{ PROPERTY = E; EXTENSION; ENUM { a }; DEFAULT = a; }\n");
        assertThrows(UnsupportedOperationException.class, () -> f.methods().put(Method.BOOT, "b"));
        assertThrows(UnsupportedOperationException.class, () -> f.properties().clear());
        assertThrows(UnsupportedOperationException.class, () -> f.pkglist().add("b"));
        assertThrows(UnsupportedOperationException.class, () -> f.typeProperties().remove("Start"));
        assertThrows(UnsupportedOperationException.class, () -> f.typeProperties().get("Start").add("b"));
        assertThrows(UnsupportedOperationException.class, () -> prop(f, "E").enumValues().add("b"));
        assertThrows(UnsupportedOperationException.class, () -> f.upgradeFrom().add(new UpgradeFrom("1", "anytime")));
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        assertEquals("x", parse("\uFEFF" + MINIMAL).resourceType());
        RtrException e = assertThrows(RtrException.class, () -> parse("\uFEFFRESOURCE_TYPE x;"));
        assertEquals(1, e.line());
        assertEquals(15, e.column());
    }
}
