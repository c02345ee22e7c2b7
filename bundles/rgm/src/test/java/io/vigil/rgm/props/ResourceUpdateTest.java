package io.vigil.rgm.props;

import static io.vigil.rgm.props.Schemas.demo;
import static io.vigil.rgm.props.Schemas.demoGiven;
import static io.vigil.rgm.props.Schemas.hasam;
import static io.vigil.rgm.props.Schemas.hasamGiven;
import static io.vigil.rgm.props.Schemas.map;
import static io.vigil.rgm.props.Schemas.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.type.PropertyValues;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Changing a resource's properties: tunability, change sets, all-or-nothing. */
class ResourceUpdateTest {

    private static PropertyValues hasamValues() throws Exception {
        return hasam().validateCreate(hasamGiven()).values();
    }

    private static PropertyValues demoValues() throws Exception {
        return demo().validateCreate(demoGiven()).values();
    }

    @Test
    void anytimeCanChangeWhetherEnabledOrDisabled() throws Exception {
        for (boolean disabled : List.of(false, true)) {
            ResolvedProperties r = hasam().validateUpdate(hasamValues(), Map.of("retry_count", "5"), disabled);
            assertEquals("5", r.values().getString("Retry_count"));
            assertEquals(Set.of("Retry_count"), r.changed());
        }
        ResolvedProperties flag = demo().validateUpdate(demoValues(), Map.of("Flag", "TRUE"), false);
        assertEquals(Set.of("Flag"), flag.changed(), "TUNABLE = TRUE is ANYTIME");
    }

    @Test
    void atCreationIsSettableAtCreationOnly() throws Exception {
        assertEquals("/etc/sam", hasam().validateCreate(hasamGiven("Confdir_list", "/etc/sam")).values()
                .getString("Confdir_list"));
        for (boolean disabled : List.of(false, true)) {
            assertEquals("Confdir_list can only be set at creation (TUNABLE = AT_CREATION)",
                    refused(() -> hasam().validateUpdate(hasamValues(), Map.of("Confdir_list", "/etc/x"), disabled)));
        }
    }

    @Test
    void whenDisabledChangesOnlyWhileDisabled() throws Exception {
        assertEquals("CatalogFileSystem can only be changed while the resource is disabled (TUNABLE = WHEN_DISABLED)",
                refused(() -> hasam().validateUpdate(hasamValues(), Map.of("CatalogFileSystem", "/cat"), false)));
        ResolvedProperties r = hasam().validateUpdate(hasamValues(), Map.of("CatalogFileSystem", "/cat"), true);
        assertEquals("/cat", r.values().getString("CatalogFileSystem"));
        assertEquals("Network_resources_used can only be changed while the resource is disabled"
                + " (TUNABLE = WHEN_DISABLED)",
                refused(() -> hasam().validateUpdate(hasamValues(), Map.of("Network_resources_used", "lh"), false)));
        assertEquals("/cat", hasam().validateCreate(hasamGiven("CatalogFileSystem", "/cat")).values()
                .getString("CatalogFileSystem"), "settable at creation");
        assertEquals("Cheap_probe_interval can only be changed while the resource is disabled"
                + " (TUNABLE = WHEN_DISABLED)",
                refused(() -> demo().validateUpdate(demoValues(), Map.of("Cheap_probe_interval", "9"), false)));
    }

    @Test
    void noneIsNeverChangeable() throws Exception {
        for (boolean disabled : List.of(false, true)) {
            assertEquals("Fixed can never be changed (TUNABLE = NONE)",
                    refused(() -> demo().validateUpdate(demoValues(), Map.of("Fixed", "other"), disabled)));
            assertEquals("Serial can never be changed (TUNABLE = NONE)",
                    refused(() -> demo().validateUpdate(demoValues(), Map.of("Serial", "s-2"), disabled)));
        }
        assertEquals("Fixed cannot be set (TUNABLE = NONE); it keeps its default locked",
                refused(() -> demo().validateCreate(demoGiven("Fixed", "other"))));
        assertEquals("locked", demo().validateCreate(demoGiven("Fixed", "locked")).values().getString("Fixed"),
                "giving the default itself is no change");
        assertEquals("s-1", demoValues().getString("Serial"),
                "a NONE property without a default is given at creation, the only way it gets a value");
    }

    @Test
    void queryOnlyCanNeverBeSet() throws Exception {
        assertEquals("Type_version is query-only; it cannot be set",
                refused(() -> hasam().validateCreate(hasamGiven("type_version", "4.6"))));
        for (boolean disabled : List.of(false, true)) {
            assertEquals("Type_version is query-only; it cannot be set",
                    refused(() -> hasam().validateUpdate(hasamValues(), Map.of("Type_version", "4.6"), disabled)));
        }
    }

    @Test
    void anUpdateThatChangesNothingHasAnEmptyChangeSet() throws Exception {
        PropertyValues current = hasamValues();
        ResolvedProperties r = hasam().validateUpdate(current,
                map("Retry_count", "2", "Failover_mode", "soft", "Confdir_list", "", "Scalable", "false"), false);
        assertEquals(Set.of(), r.changed(), "same values, even of AT_CREATION properties, are no change");
        assertEquals(current, r.values());
        assertEquals(Set.of(), hasam().validateUpdate(current, Map.of(), false).changed());
    }

    @Test
    void anUpdateReturnsTheFullNewValuesAndOnlyTheChangedNames() throws Exception {
        PropertyValues current = hasamValues();
        ResolvedProperties r = hasam().validateUpdate(current,
                map("Retry_interval", "600", "Retry_count", "2", "Failover_mode", "hard", "Probe_timeout", "30"),
                false);
        assertEquals(List.of("Retry_interval", "Failover_mode", "Probe_timeout"), List.copyOf(r.changed()));
        assertEquals("600", r.values().getString("Retry_interval"));
        assertEquals("HARD", r.values().getString("Failover_mode"));
        assertEquals("30", r.values().getString("Probe_timeout"));
        assertEquals("samfs1", r.values().getString("QFSName"), "untouched values stay");
        assertEquals(current.names(), r.values().names());
        assertEquals(hasam().extensionNames(), r.extensionNames());
        assertTrue(r.isExtension("probe_timeout"));
        assertEquals("750", current.getString("Retry_interval"), "the current values are not touched");
    }

    @Test
    void anUpdateIsAllOrNothingAndReportsTheFirstErrorInOrder() throws Exception {
        PropertyValues current = hasamValues();
        assertEquals("Retry_count = 11 is above MAX 10 (declared in SUNW.hasam)",
                refused(() -> hasam().validateUpdate(current,
                        map("Retry_interval", "600", "Retry_count", "11", "Confdir_list", "/x"), false)));
        assertEquals("Confdir_list can only be set at creation (TUNABLE = AT_CREATION)",
                refused(() -> hasam().validateUpdate(current,
                        map("Retry_interval", "600", "Confdir_list", "/x", "Retry_count", "11"), false)));
        assertEquals("Bogus is not a property of SUNW.hasam; its properties are: Confdir_list, Monitor_retry_count,"
                        + " Monitor_retry_interval, Probe_timeout, Child_mon_level, QFSName, CatalogFileSystem,"
                        + " Start_timeout, Stop_timeout, Validate_timeout, Update_timeout, Init_timeout, ... ("
                        + hasam().properties().size() + " in all)",
                refused(() -> hasam().validateUpdate(current, map("Bogus", "1", "Retry_count", "11"), false)));
        assertEquals("Failover_mode = SOMETIMES is not one of NONE, SOFT, HARD, RESTART_ONLY, LOG_ONLY",
                refused(() -> hasam().validateUpdate(current, map("Failover_mode", "SOMETIMES"), false)));
    }

    @Test
    void anUpdateChecksValuesAndNamesLikeCreation() throws Exception {
        PropertyValues current = demoValues();
        assertEquals("Paths = /a,/b,/c has 3 elements, above ARRAY_MAXSIZE 2 (declared in TEST.demo)",
                refused(() -> demo().validateUpdate(current, Map.of("Paths", "/a,/b,/c"), false)));
        assertEquals("Level = 6 is above MAX 5 (declared in TEST.demo)",
                refused(() -> demo().validateUpdate(current, Map.of("Level", "6"), false)));
        assertEquals("Level is given twice (names ignore case; the second is LEVEL)",
                refused(() -> demo().validateUpdate(current, map("Level", "1", "LEVEL", "1"), false)));
        assertEquals("Timeout", demo().validateUpdate(current, Map.of("mode", "timeout"), false).values()
                .getString("Mode"));
    }
}
