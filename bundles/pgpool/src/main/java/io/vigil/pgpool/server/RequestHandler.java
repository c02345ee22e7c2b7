package io.vigil.pgpool.server;

import io.vigil.pgpool.codec.Dialect;
import io.vigil.pgpool.codec.JsonFields;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.Payloads;
import io.vigil.pgpool.codec.Result;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdPacket;
import io.vigil.pgpool.codec.WdType;
import io.vigil.pgpool.ipc.AuthKey;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Answers one request packet as a real watchdog does, byte for byte where pgpool's tools read the
 * answer; where the real watchdog breaks (REGISTER FOR NOTIFICATIONS, empty objects or arrays) it
 * does what the manual promises instead. Thread-safe.
 */
public final class RequestHandler {

    static final String UNKNOWN_TYPE = "unknown IPC command type";
    static final String INVALID_KEY = "authentication failed: invalid KEY";
    static final String INVALID_DATA = "authentication failed: invalid data";

    /**
     * What to do with a connection after a request.
     *
     * @param reply the packet to send, or empty to close without one (as a real watchdog does for an
     *        accepted NODE STATUS CHANGE)
     * @param subscribe whether the connection stays open for node list notifications
     */
    public record Outcome(Optional<WdPacket> reply, boolean subscribe) {
    }

    private final Dialect dialect;
    private final Optional<AuthKey> key;
    private final WatchdogView view;
    private volatile Cached cached;

    private record Cached(NodeList list, WdPacket packet) {
    }

    /**
     * @param dialect the result bytes to answer with
     * @param key the authentication key clients must send, when configured
     * @param view the nodes served and where reports go
     */
    public RequestHandler(Dialect dialect, Optional<AuthKey> key, WatchdogView view) {
        this.dialect = dialect;
        this.key = key;
        this.view = view;
    }

    /**
     * @param request a request
     * @return the answer
     */
    public Outcome handle(WdPacket request) {
        byte type = request.type();
        boolean external = type == WdType.GET_NODES_LIST || type == WdType.NODE_STATUS_CHANGE
                || type == WdType.GET_RUNTIME_VARIABLE || type == WdType.REGISTER_FOR_NOTIFICATIONS;
        if (!external && !WdType.isInternalOnly(type)) {
            return bad(UNKNOWN_TYPE);
        }
        JsonFields fields = null;
        if (request.data().length > 0) {
            try {
                fields = JsonFields.parse(request.text());
            } catch (IllegalArgumentException e) {
                fields = null;
            }
        }
        if (!external) {
            // Internal commands need the shared key of a real pgpool's memory, which no client has.
            return bad(fields == null ? INVALID_DATA : INVALID_KEY);
        }
        if (key.isPresent()) {
            if (fields == null) {
                return bad(INVALID_DATA);
            }
            if (!key.get().matches(fields.text(Payloads.AUTH_KEY).orElse(null))) {
                return bad(INVALID_KEY);
            }
        }
        return switch (type) {
            case WdType.GET_NODES_LIST -> nodesList(fields);
            case WdType.NODE_STATUS_CHANGE -> statusChange(fields);
            case WdType.GET_RUNTIME_VARIABLE -> runtimeVariable(fields);
            default -> new Outcome(Optional.empty(), true);
        };
    }

    private Outcome nodesList(JsonFields f) {
        OptionalInt id;
        try {
            id = f == null ? OptionalInt.empty() : f.optInt("NodeID");
        } catch (IllegalArgumentException e) {
            id = OptionalInt.empty();
        }
        if (id.isEmpty()) {
            return emptyBad();
        }
        NodeList list = view.nodeList();
        if (id.getAsInt() < 0) {
            return new Outcome(Optional.of(nodesPacket(list)), false);
        }
        int wanted = id.getAsInt();
        WatchdogNode node = list.nodes().stream().filter(n -> n.id() == wanted).findFirst()
                .orElse(new WatchdogNode(-1, -1, -1, "Not_Set", "Not_Set", "Not_Set", "Not_Set", "Not_Set", 0, 0, 0,
                        list.local().flatMap(WatchdogNode::lifecheckStarted)));
        NodeList one = new NodeList(list.remoteNodeCount(), list.memberRemoteNodeCount(), list.nodesRequireForQuorum(),
                list.quorumStatus(), list.aliveNodeCount(), list.escalated(), list.leaderNodeName(),
                list.leaderHostName(), 1, List.of(node));
        return new Outcome(Optional.of(WdPacket.reply(dialect.code(Result.NODES_LIST_DATA), one.toJson())), false);
    }

    /**
     * @param list a node list
     * @return the reply or notification packet carrying it, cached while the list is the same instance
     */
    public WdPacket nodesPacket(NodeList list) {
        Cached c = cached;
        if (c == null || c.list != list) {
            c = new Cached(list, WdPacket.reply(dialect.code(Result.NODES_LIST_DATA), list.toJson()));
            cached = c;
        }
        return c.packet;
    }

    private Outcome statusChange(JsonFields f) {
        int id;
        int status;
        try {
            if (f == null) {
                return emptyBad();
            }
            id = f.requireInt("NodeID");
            status = f.requireInt("NodeStatus");
        } catch (IllegalArgumentException e) {
            return emptyBad();
        }
        if (view.nodeList().nodes().stream().noneMatch(n -> n.id() == id)) {
            return emptyBad();
        }
        if (status == Payloads.NODE_STATUS_DEAD || status == Payloads.NODE_STATUS_ALIVE) {
            view.statusReported(id, status == Payloads.NODE_STATUS_ALIVE, f.textOr("Message", ""));
        }
        return new Outcome(Optional.empty(), false);
    }

    private Outcome runtimeVariable(JsonFields f) {
        Optional<String> name = f == null ? Optional.empty() : f.text("VarName");
        if (name.isEmpty()) {
            return bad("requested variable name is null");
        }
        NodeList list = view.nodeList();
        String json;
        switch (name.get()) {
            case "WDState" -> json = Payloads.value(Payloads.VALUE_INT, list.local().map(WatchdogNode::state).orElse(0));
            case "QuorumState" -> json = Payloads.value(Payloads.VALUE_INT, list.quorumStatus());
            case "Escalated" -> json = Payloads.value(Payloads.VALUE_BOOL, list.escalated());
            default -> {
                return bad("unknown variable requested");
            }
        }
        return new Outcome(Optional.of(WdPacket.reply(dialect.code(Result.OK), json)), false);
    }

    /**
     * @param message the reason
     * @return RESULT BAD with {@code {"MESSAGE":...}}
     */
    public Outcome bad(String message) {
        return new Outcome(Optional.of(WdPacket.reply(dialect.code(Result.BAD), Payloads.message(message))), false);
    }

    private Outcome emptyBad() {
        return new Outcome(Optional.of(WdPacket.empty(dialect.code(Result.BAD))), false);
    }
}
