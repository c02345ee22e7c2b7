package io.vigil.pgpool.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WdCodecTest {

    @Test
    void readsAPacketThatArrivesOneByteAtATime() throws IOException {
        WdPacket p = WdPacket.reply((byte) '7', "{\"ValueDataType\":1,\"ValueData\":7}");
        InputStream trickle = new ByteArrayInputStream(p.encode()) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(1, len));
            }
        };
        assertEquals(p, WdCodec.read(trickle, 1024).orElseThrow());
    }

    @Test
    void anEndBeforeAnyByteIsNoPacket() throws IOException {
        assertEquals(Optional.empty(), WdCodec.read(new ByteArrayInputStream(new byte[0]), 1024));
    }

    @Test
    void aTruncatedPacketSaysHowMuchArrived() {
        byte[] full = WdPacket.request((byte) '3', "{\"NodeID\":-1}").encode();
        byte[] part = java.util.Arrays.copyOf(full, 8);
        WdProtocolException e = assertThrows(WdProtocolException.class,
                () -> WdCodec.read(new ByteArrayInputStream(part), 1024));
        assertTrue(e.getMessage().contains("after 3 of 13 bytes of data"), e.getMessage());
        assertThrows(WdProtocolException.class, () -> WdCodec.read(new ByteArrayInputStream(new byte[] {'3', 0}), 1024));
    }

    @Test
    void lengthsAboveTheLimitOrNegativeAreRefusedBeforeReadingData() {
        byte[] huge = {'3', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        WdProtocolException e = assertThrows(WdProtocolException.class,
                () -> WdCodec.read(new ByteArrayInputStream(huge), WdCodec.DEFAULT_MAX_BYTES));
        assertTrue(e.getMessage().contains("2147483647 bytes") && e.getMessage().contains("at most 1048576"), e.getMessage());
        byte[] negative = {'3', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe};
        e = assertThrows(WdProtocolException.class, () -> WdCodec.read(new ByteArrayInputStream(negative), 1024));
        assertTrue(e.getMessage().contains("4294967294"), e.getMessage());
    }

    @Test
    void writesTheWholePacketInOneWrite() throws IOException {
        int[] writes = {0};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                writes[0]++;
                super.write(b, off, len);
            }
        };
        WdPacket p = WdPacket.request((byte) '2', "{\"NodeID\":1,\"NodeStatus\":2}");
        WdCodec.write(out, p);
        assertEquals(1, writes[0]);
        assertArrayEquals(new byte[] {'2', 0, 0, 0, 27}, java.util.Arrays.copyOf(out.toByteArray(), 5));
    }

    @Test
    void dialectsMapResultBytesBothWays() {
        assertEquals('7', Dialect.PGPOOL.code(Result.OK));
        assertEquals('6', Dialect.PGPOOL.code(Result.BAD));
        assertEquals('5', Dialect.PGPOOL.code(Result.IN_TRANSITION));
        assertEquals('8', Dialect.PGPOOL.code(Result.TIMEOUT));
        assertEquals('9', Dialect.MANUAL.code(Result.OK));
        assertEquals('8', Dialect.MANUAL.code(Result.BAD));
        assertEquals('7', Dialect.MANUAL.code(Result.IN_TRANSITION));
        assertEquals('4', Dialect.MANUAL.code(Result.NODES_LIST_DATA));
        assertEquals(Optional.of(Result.BAD), Dialect.MANUAL.result((byte) '8'));
        assertEquals(Optional.of(Result.IN_TRANSITION), Dialect.MANUAL.result((byte) '7'));
        assertEquals(Optional.of(Result.TIMEOUT), Dialect.PGPOOL.result((byte) '8'));
        assertEquals(Optional.empty(), Dialect.PGPOOL.result((byte) '9'));
        assertEquals(Dialect.MANUAL, Dialect.parse(" Manual "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dialect.parse("seed"));
        assertTrue(e.getMessage().contains("\"seed\"") && e.getMessage().contains("pgpool, manual"), e.getMessage());
    }
}
