package io.vigil.pgpool.codec;

import java.util.Optional;

/**
 * The JSON of requests and small replies, byte for byte as pgpool's own clients and watchdog
 * write them (the key's position differs between commands, as it does in pgpool).
 */
public final class Payloads {

    /** {@code NodeStatus} DEAD. */
    public static final int NODE_STATUS_DEAD = 1;
    /** {@code NodeStatus} ALIVE. */
    public static final int NODE_STATUS_ALIVE = 2;
    /** {@code ValueDataType} of an int. */
    public static final int VALUE_INT = 1;
    /** {@code ValueDataType} of a bool (0/1). */
    public static final int VALUE_BOOL = 3;
    /** The member carrying {@code wd_authkey}. */
    public static final String AUTH_KEY = "IPCAuthKey";

    private Payloads() {
    }

    /**
     * GET NODES LIST, as {@code wd_get_watchdog_nodes_json()}: {@code {"NodeID":-1,"IPCAuthKey":"k"}}.
     *
     * @param nodeId the node, -1 for all
     * @param authKey the key, when the watchdog has one
     * @return the JSON
     */
    public static String getNodesList(int nodeId, Optional<String> authKey) {
        JsonText w = new JsonText().put("NodeID", nodeId);
        authKey.ifPresent(k -> w.put(AUTH_KEY, k));
        return w.end();
    }

    /**
     * NODE STATUS CHANGE, as the lifecheck and {@code wd_cli}: the key first.
     *
     * @param authKey the key, when the watchdog has one
     * @param nodeId the node
     * @param status {@link #NODE_STATUS_DEAD} or {@link #NODE_STATUS_ALIVE}
     * @param message the reason, logged by the watchdog
     * @return the JSON
     */
    public static String nodeStatusChange(Optional<String> authKey, int nodeId, int status, String message) {
        JsonText w = new JsonText();
        authKey.ifPresent(k -> w.put(AUTH_KEY, k));
        return w.put("NodeID", nodeId).put("NodeStatus", status).put("Message", message).end();
    }

    /**
     * GET RUNTIME VARIABLE, as {@code get_request_json}.
     *
     * @param authKey the key, when the watchdog has one
     * @param name {@code WDState}, {@code QuorumState} or {@code Escalated}
     * @return the JSON
     */
    public static String runtimeVariable(Optional<String> authKey, String name) {
        JsonText w = new JsonText();
        authKey.ifPresent(k -> w.put(AUTH_KEY, k));
        return w.put("VarName", name).end();
    }

    /**
     * @param type {@link #VALUE_INT} or {@link #VALUE_BOOL}
     * @param value the value
     * @return a runtime variable's reply JSON
     */
    public static String value(int type, int value) {
        return new JsonText().put("ValueDataType", type).put("ValueData", value).end();
    }

    /**
     * @param message an error's text
     * @return {@code {"MESSAGE":"..."}}
     */
    public static String message(String message) {
        return new JsonText().put("MESSAGE", message).end();
    }
}
