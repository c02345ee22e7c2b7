package io.vigil.pgpool.server;

import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A view of two nodes that records the reports it receives. */
final class FakeView implements WatchdogView {

    record Report(int nodeId, boolean alive, String message) {
    }

    final List<Report> reports = new CopyOnWriteArrayList<>();
    volatile NodeList list = twoNodes();
    /** When set, thrown by {@link #nodeList()}, as a broken view would. */
    volatile RuntimeException failure;

    static NodeList twoNodes() {
        WatchdogNode local = new WatchdogNode(0, WdState.LEADER, 0, "MEMBER", "127.0.0.1:11000 Linux vm", "127.0.0.1",
                "LEADER", "Not_Set", 11002, 11000, 3, Optional.empty());
        WatchdogNode remote = new WatchdogNode(1, WdState.STANDBY, 0, "MEMBER", "127.0.0.1:11010 Linux vm",
                "127.0.0.1", "STANDBY", "Not_Set", 11012, 11010, 2, Optional.empty());
        return new NodeList(1, 1, 1, 1, 1, 1, local.nodeName(), local.hostName(), 2, List.of(local, remote));
    }

    @Override
    public NodeList nodeList() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        return list;
    }

    @Override
    public void statusReported(int nodeId, boolean alive, String message) {
        reports.add(new Report(nodeId, alive, message));
    }
}
