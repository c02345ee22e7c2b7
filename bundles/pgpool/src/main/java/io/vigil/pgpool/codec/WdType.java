package io.vigil.pgpool.codec;

/**
 * Request type bytes, the same in every dialect ({@code wd_ipc_defines.h}).
 */
public final class WdType {

    /** REGISTER FOR NOTIFICATIONS. Wedges a real watchdog: never sent to one. */
    public static final byte REGISTER_FOR_NOTIFICATIONS = '0';
    /** NODE STATUS CHANGE. */
    public static final byte NODE_STATUS_CHANGE = '2';
    /** GET NODES LIST. */
    public static final byte GET_NODES_LIST = '3';
    /** GET RUNTIME VARIABLE VALUE. */
    public static final byte GET_RUNTIME_VARIABLE = 'v';

    private WdType() {
    }

    /**
     * @param type a request type byte
     * @return whether a real watchdog accepts it only with its internal shared key
     *         (failover, online recovery, cluster command, leader data)
     */
    public static boolean isInternalOnly(byte type) {
        return type == 'f' || type == 'r' || type == 'c' || type == 'd';
    }

    /**
     * @param b a type byte
     * @return it as a printable character, or its hex value
     */
    public static String describe(byte b) {
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("0x%02x", b & 0xff);
    }
}
