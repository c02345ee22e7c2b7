package io.vigil.rgm.props;

import static io.vigil.rgm.props.Schemas.demo;
import static io.vigil.rgm.props.Schemas.hasam;
import static io.vigil.rgm.props.Schemas.hasamGiven;
import static io.vigil.rgm.props.Schemas.map;
import static io.vigil.rgm.props.Schemas.parse;
import static io.vigil.rgm.props.Schemas.refused;
import static io.vigil.rgm.props.Schemas.schema;
import static io.vigil.rgm.props.Schemas.xfnts;
import static io.vigil.rgm.props.Schemas.xfntsGiven;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.type.PropertyValues;
import io.vigil.rgm.props.PropertySpec.Bound;
import io.vigil.rgm.rtr.PropertyType;
import io.vigil.rgm.rtr.Tunable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schema of a resource and validation at creation, against the real RTR fixtures and a made-up type. */
class ResourceSchemaTest {

    private static PropertySpec spec(ResourceSchema schema, String name) {
        return schema.property(name).orElseThrow(() -> new AssertionError("no property " + name));
    }

    // ------------------------------------------------------------------ the schema

    @Test
    void timeoutsExistForDeclaredMethodsOnly() throws Exception {
        ResourceSchema hasam = hasam();
        PropertySpec init = spec(hasam, "Init_timeout"); // INIT declared, no paramtable entry
        assertEquals(PropertyType.INT, init.type());
        assertEquals(Optional.of("3600"), init.defaultValue());
        assertEquals(Optional.of(new PropertySpec.Limit(1, PropertySpec.BUILT_IN)), init.limit(Bound.MIN));
        assertEquals(Tunable.ANYTIME, init.tunable());
        assertTrue(hasam.property("Boot_timeout").isEmpty(), "BOOT is not declared by SUNW.hasam");

        ResourceSchema xfnts = xfnts();
        assertEquals(Optional.of("3600"), spec(xfnts, "Start_timeout").defaultValue());
        assertTrue(xfnts.property("Init_timeout").isEmpty());
        assertTrue(xfnts.property("Prenet_start_timeout").isEmpty());
        assertTrue(xfnts.property("Postnet_stop_timeout").isEmpty());
    }

    @Test
    void rtrEntriesRefineStandardProperties() throws Exception {
        ResourceSchema hasam = hasam();
        PropertySpec start = spec(hasam, "start_TIMEOUT");
        assertEquals("Start_timeout", start.name());
        assertEquals(Optional.of("300"), start.defaultValue());
        assertEquals(Optional.of(new PropertySpec.Limit(60, "declared in SUNW.hasam")), start.limit(Bound.MIN));

        PropertySpec retry = spec(hasam, "Retry_count");
        assertEquals(Optional.of(new PropertySpec.Limit(0, PropertySpec.BUILT_IN)), retry.limit(Bound.MIN));
        assertEquals(Optional.of(new PropertySpec.Limit(10, "declared in SUNW.hasam")), retry.limit(Bound.MAX));

        PropertySpec mode = spec(hasam, "failover_mode");
        assertEquals("Failover_mode", mode.name(), "the RTR writes FailOver_Mode; the standard spelling wins");
        assertEquals(ResourceSchema.FAILOVER_MODES, mode.enumValues());
        assertEquals(Optional.of("SOFT"), mode.defaultValue());

        assertEquals(Tunable.WHEN_DISABLED, spec(hasam, "Network_resources_used").tunable());
        assertEquals(Tunable.AT_CREATION, spec(xfnts(), "Port_list").tunable());
        assertEquals(Optional.of("7100/tcp"), spec(xfnts(), "Port_list").defaultValue());
    }

    @Test
    void standardPropertiesWithoutEntriesTakeBuiltInDefaults() throws Exception {
        ResourceSchema xfnts = xfnts();
        assertEquals(Optional.of("NONE"), spec(xfnts, "Failover_mode").defaultValue());
        assertEquals(Tunable.ANYTIME, spec(xfnts, "Failover_mode").tunable());
        assertEquals(Optional.of("2"), spec(xfnts, "Retry_count").defaultValue());
        assertEquals(Optional.of("300"), spec(xfnts, "Retry_interval").defaultValue());
        assertEquals(Optional.of("60"), spec(xfnts, "Thorough_probe_interval").defaultValue());
        for (String name : List.of("Network_resources_used", "Resource_dependencies", "Resource_dependencies_weak",
                "Resource_dependencies_restart", "Resource_dependencies_offline_restart")) {
            assertEquals(PropertyType.STRINGARRAY, spec(xfnts, name).type(), name);
            assertEquals(Optional.of(""), spec(xfnts, name).defaultValue(), name);
        }
        assertEquals(PropertyType.STRING, spec(xfnts, "R_description").type());
        PropertySpec version = spec(xfnts, "Type_version");
        assertTrue(version.queryOnly());
        assertEquals(Optional.of("1.0"), version.defaultValue());
    }

    @Test
    void conditionalPropertiesExistOnlyWhenDeclared() throws Exception {
        ResourceSchema xfnts = xfnts();
        for (String name : List.of("Cheap_probe_interval", "Scalable", "Load_balancing_policy",
                "Load_balancing_weights", "Affinity_timeout")) {
            assertTrue(xfnts.property(name).isEmpty(), name);
        }
        ResourceSchema hasam = hasam();
        assertEquals(Tunable.AT_CREATION, spec(hasam, "Scalable").tunable());
        assertEquals(PropertyType.BOOLEAN, spec(hasam, "Scalable").type());
        assertEquals(ResourceSchema.LOAD_BALANCING_POLICIES, spec(hasam, "Load_balancing_policy").enumValues());

        ResourceSchema demo = demo();
        PropertySpec cheap = spec(demo, "Cheap_probe_interval");
        assertTrue(cheap.required());
        assertEquals(Tunable.WHEN_DISABLED, cheap.tunable());
        assertEquals(Optional.of("120"), spec(demo, "Init_timeout").defaultValue(),
                "an entry for the timeout of an undeclared method is kept");
        assertEquals(Optional.of("3600"), spec(demo, "Boot_timeout").defaultValue());
        PropertySpec weak = spec(demo, "Weak_affinity");
        assertEquals(PropertyType.STRING, weak.type(), "an unknown system-defined entry is a STRING");
        assertFalse(weak.extension());
    }

    @Test
    void extensionPropertiesAreMarked() throws Exception {
        ResourceSchema hasam = hasam();
        assertEquals(List.of("Confdir_list", "Monitor_retry_count", "Monitor_retry_interval", "Probe_timeout",
                "Child_mon_level", "QFSName", "CatalogFileSystem"), List.copyOf(hasam.extensionNames()));
        assertTrue(hasam.isExtension("qfsname"));
        assertFalse(hasam.isExtension("Retry_count"));
        assertFalse(hasam.isExtension("Nonexistent"));
        assertTrue(spec(hasam, "Probe_timeout").extension());
        assertEquals(Tunable.ANYTIME, spec(demo(), "Label").tunable(), "extension properties default to ANYTIME");
        assertEquals(Tunable.ANYTIME, spec(demo(), "Flag").tunable(), "TUNABLE = TRUE");
        assertEquals(Tunable.NONE, spec(demo(), "Serial").tunable(), "TUNABLE = FALSE");
    }

    @Test
    void anExtensionEntryReplacesAStandardPropertyOfTheSameName() throws Exception {
        ResourceSchema odd = parse("RESOURCE_TYPE = odd; START = s; STOP = t;\n"
                + "{ PROPERTY = port_list; EXTENSION; INT; DEFAULT = 5; }\n");
        PropertySpec port = spec(odd, "Port_list");
        assertEquals("port_list", port.name());
        assertEquals(PropertyType.INT, port.type());
        assertTrue(odd.isExtension("Port_list"));
        assertEquals("5", odd.validateCreate(Map.of()).values().getString("Port_list"));
    }

    // ------------------------------------------------------------------ creation

    @Test
    void createFillsDefaultsInCanonicalForm() throws Exception {
        ResolvedProperties r = xfnts().validateCreate(xfntsGiven());
        PropertyValues v = r.values();
        assertEquals("/etc/xfs", v.getString("Confdir_list"));
        assertEquals("3600", v.getString("Start_timeout"));
        assertEquals("3600", v.getString("Monitor_check_timeout"));
        assertFalse(v.has("Init_timeout"));
        assertFalse(v.has("Boot_timeout"));
        assertEquals("NONE", v.getString("Failover_mode"));
        assertEquals("2", v.getString("Retry_count"));
        assertEquals("300", v.getString("Retry_interval"));
        assertEquals("60", v.getString("Thorough_probe_interval"));
        assertEquals("7100/tcp", v.getString("Port_list"));
        assertEquals("", v.getString("Resource_dependencies"));
        assertEquals("", v.getString("R_description"));
        assertEquals("1.0", v.getString("Type_version"));
        assertEquals(Set.of("Confdir_list"), r.changed());
        assertEquals(Set.of("Confdir_list"), r.extensionNames());
        assertTrue(r.isExtension("CONFDIR_LIST"));
        assertFalse(r.isExtension("Port_list"));

        PropertyValues h = hasam().validateCreate(hasamGiven()).values();
        assertEquals("SOFT", h.getString("Failover_mode"));
        assertEquals("FALSE", h.getString("Scalable"), "DEFAULT=false is canonicalized");
        assertEquals("LB_WEIGHTED", h.getString("Load_balancing_policy"));
        assertEquals("3600", h.getString("Init_timeout"));
        assertEquals("300", h.getString("Prenet_start_timeout"));
        assertEquals("-1", h.getString("Child_mon_level"));
        assertEquals("4.6", h.getString("Type_version"));
    }

    @Test
    void createUsesCanonicalNamesAndKeepsTheCallersOrder() throws Exception {
        ResolvedProperties r = hasam().validateCreate(map("retry_COUNT", "3", "qfsname", "fs1", "PORT_LIST", "1/tcp"));
        assertEquals(List.of("Retry_count", "QFSName", "Port_list"), List.copyOf(r.changed()));
        assertTrue(r.values().names().stream().anyMatch("Retry_count"::equals));
        assertFalse(r.values().names().stream().anyMatch("retry_COUNT"::equals));
        assertEquals("3", r.values().getString("Retry_count"));
    }

    /** Values accepted at creation (bounds and lengths are inclusive), with their canonical form. */
    @ParameterizedTest(name = "{0}: {1} = [{2}] is accepted as [{3}]")
    @CsvSource(delimiter = '|', textBlock = """
            # INT bounds: RTR MAX, built-in MIN, RTR MIN on timeouts and extensions
            SUNW.hasam | Retry_count             | 10        | 10
            SUNW.hasam | Retry_count             | 0         | 0
            SUNW.hasam | Retry_count             | ' +07 '   | 7
            SUNW.hasam | Start_timeout           | 60        | 60
            SUNW.hasam | Probe_timeout           | 2         | 2
            SUNW.hasam | Thorough_probe_interval | 3600      | 3600
            SUNW.xfnts | Start_timeout           | 1         | 1
            SUNW.xfnts | Retry_interval          | 1         | 1
            TEST.demo  | Level                   | -1        | -1
            TEST.demo  | Level                   | 5         | 5
            # STRING lengths
            TEST.demo  | Label                   | ab        | ab
            TEST.demo  | Label                   | abcd      | abcd
            # STRINGARRAY: element lengths, sizes, trimming
            TEST.demo  | Paths                   | /a,/bcd   | /a,/bcd
            TEST.demo  | Paths                   | /a        | /a
            TEST.demo  | Paths                   | ' /a , /b ' | /a,/b
            # BOOLEAN and ENUM canonical spellings
            SUNW.hasam | Scalable                | true      | TRUE
            SUNW.hasam | Failover_mode           | ' restart_only ' | RESTART_ONLY
            SUNW.hasam | Load_balancing_policy   | lb_sticky | LB_STICKY
            TEST.demo  | Mode                    | CLUSTER   | Cluster
            # STRING kept as given
            SUNW.hasam | R_description           | ' text kept as given ' | ' text kept as given '
            """)
    void accepted(String type, String name, String value, String canonical) throws Exception {
        assertEquals(canonical, Schemas.accepted(schema(type), name, value));
    }

    /** Values refused at creation, with the message. */
    @ParameterizedTest(name = "{0}: {1} = [{2}] is refused")
    @CsvSource(delimiter = '|', textBlock = """
            # types
            SUNW.hasam | Retry_count             | abc         | Retry_count = abc is not an integer
            SUNW.hasam | Retry_count             | ''          | Retry_count = "" is not an integer
            SUNW.hasam | Retry_count             | 99999999999 | Retry_count = 99999999999 is not an integer
            SUNW.hasam | Scalable                | maybe       | Scalable = maybe is not TRUE or FALSE
            SUNW.hasam | Failover_mode           | SOMETIMES   | Failover_mode = SOMETIMES is not one of NONE, SOFT, HARD, RESTART_ONLY, LOG_ONLY
            TEST.demo  | Mode                    | Never       | Mode = Never is not one of Timeout, Auto, Cluster
            SUNW.hasam | Confdir_list            | /a,,/b      | Confdir_list = /a,,/b has an empty element (elements are separated by commas)
            # INT bounds
            SUNW.hasam | Retry_count             | 11          | Retry_count = 11 is above MAX 10 (declared in SUNW.hasam)
            SUNW.hasam | Retry_count             | -1          | Retry_count = -1 is below MIN 0 (built in)
            SUNW.hasam | Start_timeout           | 59          | Start_timeout = 59 is below MIN 60 (declared in SUNW.hasam)
            SUNW.hasam | Probe_timeout           | 1           | Probe_timeout = 1 is below MIN 2 (declared in SUNW.hasam)
            SUNW.hasam | Thorough_probe_interval | 3601        | Thorough_probe_interval = 3601 is above MAX 3600 (declared in SUNW.hasam)
            SUNW.xfnts | Start_timeout           | 0           | Start_timeout = 0 is below MIN 1 (built in)
            SUNW.xfnts | Retry_interval          | 0           | Retry_interval = 0 is below MIN 1 (built in)
            SUNW.xfnts | Thorough_probe_interval | 0           | Thorough_probe_interval = 0 is below MIN 1 (built in)
            TEST.demo  | Level                   | -2          | Level = -2 is below MIN -1 (declared in TEST.demo)
            TEST.demo  | Level                   | 6           | Level = 6 is above MAX 5 (declared in TEST.demo)
            TEST.demo  | Cheap_probe_interval    | 0           | Cheap_probe_interval = 0 is below MIN 1 (built in)
            # STRING lengths
            TEST.demo  | Label                   | a           | Label = a is 1 character long, below MINLENGTH 2 (declared in TEST.demo)
            TEST.demo  | Label                   | abcde       | Label = abcde is 5 characters long, above MAXLENGTH 4 (declared in TEST.demo)
            # STRINGARRAY: each element's length, then the number of elements
            TEST.demo  | Paths                   | /a,/bcde    | Paths = /a,/bcde: element /bcde is 5 characters long, above MAXLENGTH 4 (declared in TEST.demo)
            TEST.demo  | Paths                   | /ab,x       | Paths = /ab,x: element x is 1 character long, below MINLENGTH 2 (declared in TEST.demo)
            TEST.demo  | Paths                   | ''          | Paths = "" has 0 elements, below ARRAY_MINSIZE 1 (declared in TEST.demo)
            TEST.demo  | Paths                   | /a,/b,/c    | Paths = /a,/b,/c has 3 elements, above ARRAY_MAXSIZE 2 (declared in TEST.demo)
            """)
    void rejected(String type, String name, String value, String message) throws Exception {
        assertEquals(message, Schemas.rejected(schema(type), name, value));
    }

    @Test
    void propertiesWithoutDefaultAreRequired() throws Exception {
        assertEquals("Confdir_list has no default and must be given at creation",
                refused(() -> xfnts().validateCreate(Map.of())));
        assertEquals("QFSName has no default and must be given at creation",
                refused(() -> hasam().validateCreate(Map.of("Retry_count", "3"))));
        assertEquals("Cheap_probe_interval has no default and must be given at creation",
                refused(() -> demo().validateCreate(Map.of("Serial", "s"))));
        assertTrue(spec(xfnts(), "Confdir_list").required());
        assertFalse(spec(xfnts(), "Port_list").required());
        assertFalse(spec(xfnts(), "Type_version").required());
    }

    @Test
    void aDefaultThatBreaksItsOwnLimitsIsReportedAtCreation() throws Exception {
        ResourceSchema bad = parse("RESOURCE_TYPE = bad; START = s; STOP = t;\n"
                + "{ PROPERTY = Retry_count; DEFAULT = -1; }\n");
        assertEquals("Retry_count = -1 (its default) is below MIN 0 (built in)",
                refused(() -> bad.validateCreate(Map.of())));
        assertEquals("1", bad.validateCreate(Map.of("Retry_count", "1")).values().getString("Retry_count"));
    }

    @Test
    void unknownNamesAreRefusedWithASuggestionOrAList() throws Exception {
        PropertyException e = assertThrows(PropertyException.class,
                () -> hasam().validateCreate(hasamGiven("Retry_cont", "3")));
        assertEquals("Retry_cont is not a property of SUNW.hasam; did you mean Retry_count?", e.getMessage());
        assertEquals("Retry_cont", e.property());

        String listed = refused(() -> xfnts().validateCreate(xfntsGiven("Foo", "1")));
        assertTrue(listed.startsWith("Foo is not a property of SUNW.xfnts; its properties are: Confdir_list,"
                + " Start_timeout, Stop_timeout, Validate_timeout, Update_timeout, "), listed);
        assertTrue(listed.endsWith(", ... (" + xfnts().properties().size() + " in all)"), listed);
    }

    @Test
    void aNameGivenTwiceInDifferentCaseIsRefused() throws Exception {
        assertEquals("Retry_count is given twice (names ignore case; the second is RETRY_COUNT)",
                refused(() -> hasam().validateCreate(hasamGiven("Retry_count", "3", "RETRY_COUNT", "4"))));
    }

    @Test
    void theFirstErrorInTheCallersOrderIsReported() throws Exception {
        ResourceSchema hasam = hasam();
        assertEquals("Retry_count = 11 is above MAX 10 (declared in SUNW.hasam)",
                refused(() -> hasam.validateCreate(map("Retry_count", "11", "Foo", "1"))));
        String unknownFirst = refused(() -> hasam.validateCreate(map("Foo", "1", "Retry_count", "11")));
        assertTrue(unknownFirst.startsWith("Foo is not a property of SUNW.hasam; "), unknownFirst);
        assertEquals("Retry_count = 11 is above MAX 10 (declared in SUNW.hasam)",
                refused(() -> hasam.validateCreate(map("Retry_count", "11"))),
                "a bad value is reported before a missing required property");
    }

    @Test
    void resultsAreImmutable() throws Exception {
        ResolvedProperties r = xfnts().validateCreate(xfntsGiven());
        assertThrows(UnsupportedOperationException.class, () -> r.changed().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> r.extensionNames().clear());
        assertThrows(UnsupportedOperationException.class, () -> r.values().asMap().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> xfnts().properties().clear());
        TreeMap<String, String> given = new TreeMap<>(xfntsGiven());
        ResolvedProperties again = xfnts().validateCreate(given);
        given.put("Confdir_list", "/other");
        assertEquals("/etc/xfs", again.values().getString("Confdir_list"));
    }
}
