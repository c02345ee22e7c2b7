package io.vigil.pgpool.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A GET NODES LIST reply: the cluster's counters and its nodes, the local node first.
 *
 * @param remoteNodeCount configured remote nodes
 * @param memberRemoteNodeCount remote nodes counting for the quorum
 * @param nodesRequireForQuorum votes needed for consensus
 * @param quorumStatus 1 exists, 0 on the edge, -1 lost, -2 no leader known
 * @param aliveNodeCount the leader's standby count
 * @param escalated 1 when the local node holds the escalation (virtual IP)
 * @param leaderNodeName the leader's node name, {@code Not Set} when none
 * @param leaderHostName the leader's host name, {@code Not Set} when none
 * @param nodeCount how many nodes follow
 * @param nodes the nodes
 */
public record NodeList(int remoteNodeCount, int memberRemoteNodeCount, int nodesRequireForQuorum, int quorumStatus,
        int aliveNodeCount, int escalated, String leaderNodeName, String leaderHostName, int nodeCount,
        List<WatchdogNode> nodes) {

    /** {@code LeaderNodeName} when there is no leader (with a space, unlike {@code Not_Set}). */
    public static final String NO_LEADER = "Not Set";
    /** {@code QuorumStatus}: the quorum is lost. */
    public static final int QUORUM_LOST = -1;

    /** Copies the nodes. */
    public NodeList {
        nodes = List.copyOf(nodes);
    }

    /**
     * Reads a reply's JSON; the leader keys of watchdogs before 4.2 ({@code Master...}) are read too.
     *
     * @param json the JSON text
     * @return the list
     * @throws IllegalArgumentException naming the member that is missing or malformed
     */
    public static NodeList parse(String json) {
        JsonFields f = JsonFields.parse(json);
        List<WatchdogNode> nodes = new ArrayList<>();
        Optional<JsonNode> array = f.get("WatchdogNodes");
        if (array.isPresent()) {
            if (!array.get().isArray()) {
                throw new IllegalArgumentException("WatchdogNodes is " + array.get().getNodeType() + "; expected an array");
            }
            for (JsonNode n : array.get()) {
                nodes.add(WatchdogNode.read(JsonFields.of(n)));
            }
        }
        String leaderName = f.text("LeaderNodeName").or(() -> f.text("MasterNodeName")).orElse(NO_LEADER);
        String leaderHost = f.text("LeaderHostName").or(() -> f.text("MasterHostName")).orElse(NO_LEADER);
        return new NodeList(f.intOr("RemoteNodeCount", Math.max(0, nodes.size() - 1)),
                f.intOr("MemberRemoteNodeCount", Math.max(0, nodes.size() - 1)), f.intOr("NodesRequireForQuorum", 0),
                f.intOr("QuorumStatus", -2), f.intOr("AliveNodeCount", 0), f.intOr("Escalated", 0), leaderName,
                leaderHost, f.intOr("NodeCount", nodes.size()), nodes);
    }

    /** @return the JSON text, in the real watchdog's key order and spacing */
    public String toJson() {
        JsonText w = new JsonText().put("RemoteNodeCount", remoteNodeCount)
                .put("MemberRemoteNodeCount", memberRemoteNodeCount).put("NodesRequireForQuorum", nodesRequireForQuorum)
                .put("QuorumStatus", quorumStatus).put("AliveNodeCount", aliveNodeCount).put("Escalated", escalated)
                .put("LeaderNodeName", leaderNodeName).put("LeaderHostName", leaderHostName).put("NodeCount", nodeCount)
                .startArray("WatchdogNodes");
        for (WatchdogNode n : nodes) {
            n.write(w);
        }
        return w.endArray().end();
    }

    /** @return the local node (the first), if any */
    public Optional<WatchdogNode> local() {
        return nodes.isEmpty() ? Optional.empty() : Optional.of(nodes.get(0));
    }

    /** @return the remote nodes (all but the first) */
    public List<WatchdogNode> remotes() {
        return nodes.isEmpty() ? List.of() : nodes.subList(1, nodes.size());
    }

    /** @return whether a leader is known */
    public boolean hasLeader() {
        return !NO_LEADER.equals(leaderNodeName);
    }
}
