package io.vigil.pgpool.codec;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Reads and writes {@link WdPacket}s. Reads loop until the 5 header bytes and the whole data are
 * in (the real watchdog writes type, length and data separately); writes send the whole packet in
 * one call, since a real watchdog blocks while a packet is incomplete.
 */
public final class WdCodec {

    /** Default largest data accepted on read: 1 MiB. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private WdCodec() {
    }

    /**
     * Reads one packet.
     *
     * @param in the stream; its read timeout bounds each read
     * @param maxBytes the largest data length accepted
     * @return the packet, or empty when the stream ended before any byte
     * @throws WdProtocolException if the stream ended inside a packet, or the length is negative or
     *         above {@code maxBytes}
     * @throws IOException if reading fails or times out
     */
    public static Optional<WdPacket> read(InputStream in, int maxBytes) throws IOException {
        int type = in.read();
        if (type < 0) {
            return Optional.empty();
        }
        byte[] len = readFully(in, 4, "the 4-byte length");
        int length = ((len[0] & 0xff) << 24) | ((len[1] & 0xff) << 16) | ((len[2] & 0xff) << 8) | (len[3] & 0xff);
        if (length < 0 || length > maxBytes) {
            throw new WdProtocolException("packet " + WdType.describe((byte) type) + " declares "
                    + Integer.toUnsignedString(length) + " bytes of data; expected at most " + maxBytes);
        }
        return Optional.of(new WdPacket((byte) type, readFully(in, length, length + " bytes of data")));
    }

    private static byte[] readFully(InputStream in, int n, String what) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r;
            try {
                r = in.read(b, off, n - off);
            } catch (EOFException e) {
                r = -1;
            }
            if (r < 0) {
                throw new WdProtocolException("connection ended after " + off + " of " + what + "; expected a whole packet");
            }
            off += r;
        }
        return b;
    }

    /**
     * Writes one packet in a single write.
     *
     * @param out the stream
     * @param packet the packet
     * @throws IOException if writing fails
     */
    public static void write(OutputStream out, WdPacket packet) throws IOException {
        out.write(packet.encode());
        out.flush();
    }
}
