package io.vigil.rgm.props;

import static io.vigil.rgm.props.Schemas.map;
import static io.vigil.rgm.props.Schemas.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.type.PropertyValues;
import io.vigil.rgm.rtr.PropertyType;
import io.vigil.rgm.rtr.Tunable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Resource-group properties: defaults, values, rules between them, tunability. */
class GroupSchemaTest {

    private final GroupSchema schema = GroupSchema.of("node1");

    private PropertyValues create(String... pairs) throws PropertyException {
        return schema.validateCreate("web-rg", map(pairs)).values();
    }

    private String createRefused(String... pairs) {
        return refused(() -> schema.validateCreate("web-rg", map(pairs)));
    }

    @Test
    void defaults() throws Exception {
        ResolvedProperties r = schema.validateCreate("web-rg", Map.of());
        PropertyValues v = r.values();
        assertEquals(List.of("node1"), v.getStringArray("Nodelist"));
        assertEquals("Failover", v.getString("RG_mode"));
        assertEquals(1, v.getInt("Maximum_primaries"));
        assertEquals(1, v.getInt("Desired_primaries"));
        assertFalse(v.getBoolean("Failback"));
        assertEquals(3600, v.getInt("Pingpong_interval"));
        assertTrue(v.getBoolean("Auto_start_on_new_cluster"));
        assertEquals("", v.getString("RG_dependencies"));
        assertEquals("", v.getString("RG_description"));
        assertTrue(v.getBoolean("Implicit_network_dependencies"));
        assertEquals("*", v.getString("Global_resources_used"));
        assertEquals(11, v.names().size());
        assertEquals(Set.of(), r.changed());
        assertEquals(Set.of(), r.extensionNames());
        assertEquals("node2", GroupSchema.of("node2").validateCreate("g", Map.of()).values().getString("Nodelist"));
    }

    @Test
    void typesAndTunability() {
        assertEquals(Tunable.AT_CREATION, schema.property("rg_mode").orElseThrow().tunable());
        assertEquals(List.of("Failover", "Scalable"), schema.property("RG_mode").orElseThrow().enumValues());
        assertEquals(PropertyType.STRINGARRAY, schema.property("Nodelist").orElseThrow().type());
        assertEquals(PropertyType.BOOLEAN, schema.property("Failback").orElseThrow().type());
        assertEquals(Tunable.ANYTIME, schema.property("Failback").orElseThrow().tunable());
        assertTrue(schema.property("RG_state").isEmpty());
        assertFalse(schema.properties().stream().anyMatch(PropertySpec::extension));
    }

    @Test
    void valuesAreCanonicalized() throws Exception {
        ResolvedProperties r = schema.validateCreate("web-rg", map("rg_MODE", "scalable", "maximum_primaries", "3",
                "FAILBACK", "true", "Nodelist", "n1, n2 ,n3", "rg_dependencies", " db-rg "));
        assertEquals(List.of("RG_mode", "Maximum_primaries", "Failback", "Nodelist", "RG_dependencies"),
                List.copyOf(r.changed()));
        PropertyValues v = r.values();
        assertEquals("Scalable", v.getString("RG_mode"));
        assertEquals("TRUE", v.getString("Failback"));
        assertEquals("n1,n2,n3", v.getString("Nodelist"));
        assertEquals("db-rg", v.getString("RG_dependencies"));
        assertEquals("RG_mode = Active is not one of Failover, Scalable", createRefused("RG_mode", "Active"));
        assertEquals("Failback = yes is not TRUE or FALSE", createRefused("Failback", "yes"));
    }

    @Test
    void bounds() throws Exception {
        assertEquals("Maximum_primaries = 0 is below MIN 1 (built in)",
                createRefused("RG_mode", "Scalable", "Maximum_primaries", "0", "Desired_primaries", "0"));
        assertEquals(0, create("Desired_primaries", "0").getInt("Desired_primaries"));
        assertEquals("Desired_primaries = -1 is below MIN 0 (built in)", createRefused("Desired_primaries", "-1"));
        assertEquals(0, create("Pingpong_interval", "0").getInt("Pingpong_interval"));
        assertEquals("Pingpong_interval = -1 is below MIN 0 (built in)", createRefused("Pingpong_interval", "-1"));
        assertEquals("Pingpong_interval = soon is not an integer", createRefused("Pingpong_interval", "soon"));
    }

    @Test
    void desiredPrimariesAtMostMaximumPrimaries() throws Exception {
        PropertyValues v = create("RG_mode", "Scalable", "Maximum_primaries", "3", "Desired_primaries", "3");
        assertEquals(3, v.getInt("Desired_primaries"));
        PropertyException e = assertThrows(PropertyException.class, () -> schema.validateCreate("web-rg",
                map("RG_mode", "Scalable", "Maximum_primaries", "3", "Desired_primaries", "4")));
        assertEquals("Desired_primaries = 4 is above Maximum_primaries = 3", e.getMessage());
        assertEquals("Desired_primaries", e.property());
        assertEquals("Desired_primaries = 2 is above Maximum_primaries = 1", createRefused("Desired_primaries", "2"));
    }

    @Test
    void aFailoverGroupHasOnePrimary() throws Exception {
        assertEquals("Maximum_primaries = 2 is not allowed with RG_mode = Failover; a failover group has one primary"
                + " (expected 1)", createRefused("Maximum_primaries", "2"));
        assertEquals("Maximum_primaries = 2 is not allowed with RG_mode = Failover; a failover group has one primary"
                + " (expected 1)", createRefused("RG_mode", "failover", "Maximum_primaries", "2"));
        assertEquals(2, create("RG_mode", "Scalable", "Maximum_primaries", "2").getInt("Maximum_primaries"));
    }

    @Test
    void groupDependencies() throws Exception {
        assertEquals("db-rg,app.rg_2", create("RG_dependencies", "db-rg,app.rg_2").getString("RG_dependencies"));
        assertEquals("RG_dependencies = db-rg,web-rg names the group web-rg itself; a group cannot depend on itself",
                createRefused("RG_dependencies", "db-rg,web-rg"));
        assertEquals("RG_dependencies = \"db rg\" has \"db rg\", which is not a valid group name (expected letters,"
                + " digits, '_', '-' and '.', not . or ..)", createRefused("RG_dependencies", "db rg"));
        assertEquals("RG_dependencies = db/rg has db/rg, which is not a valid group name (expected letters,"
                + " digits, '_', '-' and '.', not . or ..)", createRefused("RG_dependencies", "db/rg"));
        assertTrue(createRefused("RG_dependencies", "..").startsWith("RG_dependencies = .. has .., which is not"));
        assertEquals("RG_dependencies = a,b,a names a twice", createRefused("RG_dependencies", "a,b,a"));
    }

    @Test
    void nodelist() throws Exception {
        assertEquals(List.of("n2", "n1"), create("Nodelist", "n2,n1").getStringArray("Nodelist"));
        assertEquals("Nodelist = \"\" has 0 elements, below ARRAY_MINSIZE 1 (built in)", createRefused("Nodelist", ""));
        assertEquals("Nodelist = n1,n1 names n1 twice", createRefused("Nodelist", "n1,n1"));
        assertEquals("Nodelist = n1,n:2 has n:2, which is not a valid node name (expected letters, digits, '_', '-'"
                + " and '.', not . or ..)", createRefused("Nodelist", "n1,n:2"));
    }

    @Test
    void globalResourcesUsed() throws Exception {
        assertEquals("", create("Global_resources_used", "").getString("Global_resources_used"));
        assertEquals("*", create("Global_resources_used", " * ").getString("Global_resources_used"));
        assertEquals("Global_resources_used = /global/fs is not * (all global resources) or \"\" (none)",
                createRefused("Global_resources_used", "/global/fs"));
    }

    @Test
    void unknownNames() {
        assertEquals("Nodelst is not a resource-group property; did you mean Nodelist?",
                createRefused("Nodelst", "n1"));
        assertEquals("Colour is not a resource-group property; its properties are: Nodelist, RG_mode,"
                + " Maximum_primaries, Desired_primaries, Failback, Pingpong_interval, Auto_start_on_new_cluster,"
                + " RG_dependencies, RG_description, Implicit_network_dependencies, Global_resources_used",
                createRefused("Colour", "blue"));
    }

    @Test
    void updateChecksTunabilityAndRules() throws Exception {
        PropertyValues failover = create();
        assertEquals("RG_mode can only be set at creation (TUNABLE = AT_CREATION)",
                refused(() -> schema.validateUpdate("web-rg", failover, Map.of("RG_mode", "Scalable"))));
        ResolvedProperties same = schema.validateUpdate("web-rg", failover, Map.of("RG_mode", "failover"));
        assertEquals(Set.of(), same.changed());
        assertEquals(failover, same.values());

        ResolvedProperties r = schema.validateUpdate("web-rg", failover,
                map("Failback", "TRUE", "Desired_primaries", "1", "Nodelist", "node1,node2"));
        assertEquals(List.of("Failback", "Nodelist"), List.copyOf(r.changed()));
        assertEquals("TRUE", r.values().getString("Failback"));
        assertEquals("node1,node2", r.values().getString("Nodelist"));
        assertEquals("Failover", r.values().getString("RG_mode"));

        assertEquals("Maximum_primaries = 2 is not allowed with RG_mode = Failover; a failover group has one primary"
                + " (expected 1)", refused(() -> schema.validateUpdate("web-rg", failover,
                        Map.of("Maximum_primaries", "2"))));

        PropertyValues scalable = create("RG_mode", "Scalable", "Maximum_primaries", "3", "Desired_primaries", "2");
        assertEquals("Desired_primaries = 2 is above Maximum_primaries = 1",
                refused(() -> schema.validateUpdate("web-rg", scalable, Map.of("Maximum_primaries", "1"))));
        assertEquals(Set.of("Maximum_primaries", "Desired_primaries"), schema.validateUpdate("web-rg", scalable,
                map("Maximum_primaries", "1", "Desired_primaries", "1")).changed());
        assertEquals("RG_dependencies = web-rg names the group web-rg itself; a group cannot depend on itself",
                refused(() -> schema.validateUpdate("web-rg", scalable, Map.of("RG_dependencies", "web-rg"))));
        assertEquals("web-rg", schema.validateUpdate("other-rg", scalable, Map.of("RG_dependencies", "web-rg"))
                .values().getString("RG_dependencies"));
    }

    @Test
    void names() {
        assertTrue(GroupSchema.isValidName("web-rg.2_a"));
        assertFalse(GroupSchema.isValidName("."));
        assertFalse(GroupSchema.isValidName(".."));
        assertFalse(GroupSchema.isValidName(""));
        assertFalse(GroupSchema.isValidName("a b"));
        assertFalse(GroupSchema.isValidName(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupSchema.of("bad node"));
        assertEquals("local node name \"bad node\" is not valid; expected letters, digits, '_', '-' and '.',"
                + " not . or ..",
                e.getMessage());
        assertEquals("node1", schema.localNode());
    }
}
