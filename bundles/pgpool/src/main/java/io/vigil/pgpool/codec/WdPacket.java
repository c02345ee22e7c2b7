package io.vigil.pgpool.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One IPC packet: a type byte and its data (JSON text, possibly with the trailing NUL the real
 * watchdog adds to its replies).
 *
 * @param type the type byte
 * @param data the data as sent; treat as read-only
 */
public record WdPacket(byte type, byte[] data) {

    /** Bytes before the data: the type and the length. */
    public static final int HEADER_BYTES = 5;

    /** Checks for null data. */
    public WdPacket {
        if (data == null) {
            throw new IllegalArgumentException("packet data is null; expected an empty array for no data");
        }
    }

    /**
     * @param type the type byte
     * @return a packet with no data
     */
    public static WdPacket empty(byte type) {
        return new WdPacket(type, new byte[0]);
    }

    /**
     * A request as pgpool's clients send it: the JSON text without a NUL.
     *
     * @param type the type byte
     * @param json the JSON text
     * @return the packet
     */
    public static WdPacket request(byte type, String json) {
        return new WdPacket(type, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A reply as the real watchdog sends it: the JSON text and a trailing NUL, counted in the length.
     *
     * @param type the type byte
     * @param json the JSON text
     * @return the packet
     */
    public static WdPacket reply(byte type, String json) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        return new WdPacket(type, Arrays.copyOf(text, text.length + 1));
    }

    /** @return the data as text, without a trailing NUL */
    public String text() {
        int n = data.length;
        if (n > 0 && data[n - 1] == 0) {
            n--;
        }
        return new String(data, 0, n, StandardCharsets.UTF_8);
    }

    /** @return the whole packet as it goes on the wire, in one buffer so that it is written at once */
    public byte[] encode() {
        return ByteBuffer.allocate(HEADER_BYTES + data.length).put(type).putInt(data.length).put(data).array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WdPacket p && p.type == type && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "packet " + WdType.describe(type) + " with " + data.length + " bytes";
    }
}
