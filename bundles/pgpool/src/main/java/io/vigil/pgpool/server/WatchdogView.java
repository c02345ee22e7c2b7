package io.vigil.pgpool.server;

import io.vigil.pgpool.codec.NodeList;

/** What the compatible server serves, and where reports go. */
public interface WatchdogView {

    /**
     * @return the nodes, the local node first; the same instance for as long as nothing changed,
     *         so that its JSON can be cached
     */
    NodeList nodeList();

    /**
     * A client reported a node's liveness (NODE STATUS CHANGE).
     *
     * @param nodeId a node of {@link #nodeList()}
     * @param alive true ALIVE, false DEAD
     * @param message the client's reason, possibly empty
     */
    void statusReported(int nodeId, boolean alive, String message);
}
