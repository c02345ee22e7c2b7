package io.vigil.pgpool.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdState;
import io.vigil.pgpool.lifecheck.ExternalLifecheck;
import io.vigil.pgpool.lifecheck.WatchdogBridge;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WdCommandsTest {

    static WatchdogNode node(int id, int state) {
        return new WatchdogNode(id, state, 0, "MEMBER", "127.0.0.1:1100" + id + " Linux vm", "127.0.0.1",
                WdState.name(state), "Not_Set", 11002 + id, 11000 + id, 1, Optional.empty());
    }

    final NodeList list = new NodeList(1, 1, 1, -1, 0, 0, "127.0.0.1:11000 Linux vm", "127.0.0.1", 2,
            List.of(node(0, WdState.LEADER), node(1, WdState.LOST)));
    final Map<Integer, ExternalLifecheck.NodeView> views = Map.of(1,
            new ExternalLifecheck.NodeView(list.nodes().get(1), false, 3, "refused", "DEAD"));

    @Test
    void nodesShowsTheWatchdogsStatesAndTheLifechecksVerdicts() {
        String out = WdCommands.nodes(list, views);
        String[] lines = out.split("\n");
        assertTrue(lines[0].startsWith("ID  HOST"), out);
        assertTrue(lines[1].matches("0 +127\\.0\\.0\\.1 +11000 +11002 +LEADER +MEMBER +local +- .*"), out);
        assertTrue(lines[2].matches("1 +127\\.0\\.0\\.1 +11001 +11003 +LOST +MEMBER +dead +DEAD .*"), out);
    }

    @Test
    void statusShowsLeaderQuorumAndErrors() {
        String out = WdCommands.status(new WatchdogBridge.Status("/run/.s.PGPOOLWD_CMD.11002", "pgpool", true,
                Optional.of(Instant.parse("2026-01-01T00:00:00Z")), Optional.of("authentication failed: invalid KEY"),
                Optional.of(list), views));
        assertTrue(out.contains("leader:    127.0.0.1:11000 Linux vm (127.0.0.1)"), out);
        assertTrue(out.contains("quorum:    LOST"), out);
        assertTrue(out.contains("error:     authentication failed: invalid KEY"), out);
        assertTrue(WdCommands.status(new WatchdogBridge.Status("s", "tcp", false, Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of())).contains("probe:     tcp (not registered)"));
    }
}
