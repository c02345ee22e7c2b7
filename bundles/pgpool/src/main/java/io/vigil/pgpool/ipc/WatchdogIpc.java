package io.vigil.pgpool.ipc;

import io.vigil.pgpool.codec.NodeList;
import java.io.IOException;

/** The commands the external lifecheck sends to a watchdog. */
public interface WatchdogIpc {

    /**
     * GET NODES LIST for all nodes.
     *
     * @return the watchdog's view
     * @throws IOException if the socket cannot be reached or the reply is malformed
     * @throws WatchdogException if the watchdog refused (e.g. a wrong key)
     */
    NodeList nodes() throws IOException, WatchdogException;

    /**
     * NODE STATUS CHANGE, the reply read to its end.
     *
     * @param nodeId the node
     * @param status {@code Payloads.NODE_STATUS_DEAD} or {@code NODE_STATUS_ALIVE}
     * @param message the reason, logged by the watchdog
     * @throws IOException if the socket cannot be reached
     * @throws WatchdogException if the watchdog rejected it
     */
    void reportStatus(int nodeId, int status, String message) throws IOException, WatchdogException;
}
