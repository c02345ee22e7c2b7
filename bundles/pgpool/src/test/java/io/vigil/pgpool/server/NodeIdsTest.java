package io.vigil.pgpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeIdsTest {

    @Test
    void configuredIdsFirstThenTheSmallestFreeInOrderOfSight() {
        NodeIds ids = NodeIds.parse(" node-1=0 , node-3=2,");
        assertEquals(List.of(2, 1, 0, 3, 1), List.of(ids.of("node-3"), ids.of("node-2"), ids.of("node-1"),
                ids.of("node-4"), ids.of("node-2")));
    }

    @Test
    void withoutConfigurationIdsFollowTheOrderOfSightAndStay() {
        NodeIds ids = NodeIds.parse("");
        assertEquals(List.of(0, 1, 2, 0, 1), List.of(ids.of("x"), ids.of("y"), ids.of("z"), ids.of("x"), ids.of("y")));
        assertEquals(0, NodeIds.parse("").of("y"), "each instance numbers on its own");
    }

    @Test
    void unconfiguredNodesFillTheGapsBetweenConfiguredIds() {
        NodeIds ids = NodeIds.parse("a=1,b=3");
        assertEquals(List.of(0, 2, 4, 1, 3), List.of(ids.of("c"), ids.of("d"), ids.of("e"), ids.of("a"), ids.of("b")));
    }

    @Test
    void badConfigurationsAreRefusedNamingTheEntry() {
        assertEquals("nodeIds entry 'node-1' is not valid; expected " + NodeIds.SYNTAX,
                assertThrows(IllegalArgumentException.class, () -> NodeIds.parse("node-1")).getMessage());
        assertEquals("nodeIds entry 'a=-1' is not valid; expected " + NodeIds.SYNTAX,
                assertThrows(IllegalArgumentException.class, () -> NodeIds.parse("a=-1")).getMessage());
        assertEquals("nodeIds entry '=1' is not valid; expected " + NodeIds.SYNTAX,
                assertThrows(IllegalArgumentException.class, () -> NodeIds.parse("=1")).getMessage());
        assertEquals("nodeIds entry 'a=x' is not valid; expected " + NodeIds.SYNTAX,
                assertThrows(IllegalArgumentException.class, () -> NodeIds.parse("a=x")).getMessage());
        assertEquals("nodeIds gives id 1 to both a and b; expected " + NodeIds.SYNTAX,
                assertThrows(IllegalArgumentException.class, () -> NodeIds.parse("a=1,b=1")).getMessage());
        assertEquals("nodeIds names node a twice; expected " + NodeIds.SYNTAX,
                assertThrows(IllegalArgumentException.class, () -> NodeIds.parse("a=1,a=2")).getMessage());
    }
}
