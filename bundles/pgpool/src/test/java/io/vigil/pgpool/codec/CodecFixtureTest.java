package io.vigil.pgpool.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.pgpool.testing.Captures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Round trips against the bytes captured from a live Pgpool-II 4.3.5 watchdog. */
class CodecFixtureTest {

    private static final Optional<String> KEY = Optional.of("s3cr3t-k3y");

    static WdPacket decode(byte[] wire) throws IOException {
        return WdCodec.read(new ByteArrayInputStream(wire), WdCodec.DEFAULT_MAX_BYTES).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({"01_nodes_single_node_running.txt,''", "02_nodes_cluster_from_node1.txt,''",
        "03_nodes_single_id2_from_node0.txt,''", "12_auth_cases.txt,AUTH-3", "04_error_cases.txt,D"})
    void nodesListRepliesRoundTripByteForByteInThePgpoolDialect(String file, String section) throws IOException {
        byte[] wire = Captures.load(file).get(section).received();
        WdPacket reply = decode(wire);
        assertEquals(Optional.of(Result.OK), Dialect.PGPOOL.result(reply.type()));
        NodeList list = NodeList.parse(reply.text());
        assertEquals(list.nodeCount(), list.nodes().size());
        assertArrayEquals(wire, WdPacket.reply(Dialect.PGPOOL.code(Result.NODES_LIST_DATA), list.toJson()).encode());
    }

    @Test
    void nodesListInTheManualDialectIsTypeFourWithTheSameJson() throws IOException {
        byte[] wire = Captures.load("02_nodes_cluster_from_node1.txt").get("").received();
        NodeList list = NodeList.parse(decode(wire).text());
        byte[] manual = WdPacket.reply(Dialect.MANUAL.code(Result.NODES_LIST_DATA), list.toJson()).encode();
        assertEquals('4', manual[0]);
        assertArrayEquals(Arrays.copyOfRange(wire, 1, wire.length), Arrays.copyOfRange(manual, 1, manual.length));
        WdPacket back = decode(manual);
        assertEquals(Optional.of(Result.NODES_LIST_DATA), Dialect.MANUAL.result(back.type()));
        assertEquals(list, NodeList.parse(back.text()));
    }

    @Test
    void theParsedListHasTheCapturedValues() throws IOException {
        NodeList list = NodeList.parse(decode(Captures.load("02_nodes_cluster_from_node1.txt").get("").received()).text());
        assertEquals(3, list.nodeCount());
        assertEquals("127.0.0.1:11000 Linux vm", list.leaderNodeName());
        assertEquals(1, list.quorumStatus());
        WatchdogNode local = list.local().orElseThrow();
        assertEquals(1, local.id());
        assertEquals("STANDBY", local.stateName());
        assertEquals(11012, local.wdPort());
        assertEquals(11010, local.pgpoolPort());
        assertEquals(Optional.empty(), local.lifecheckStarted());
        assertEquals(2, list.remotes().size());
    }

    @Test
    void requestsAreByteForByteWhatPgpoolsClientsSend() throws IOException {
        assertArrayEquals(Captures.load("01_nodes_single_node_running.txt").get("").sent(),
                WdPacket.request(WdType.GET_NODES_LIST, Payloads.getNodesList(-1, Optional.empty())).encode());
        assertArrayEquals(Captures.proxy("proxy_wd_cli_auth.log", 1, true),
                WdPacket.request(WdType.GET_NODES_LIST, Payloads.getNodesList(-1, KEY)).encode());
        assertArrayEquals(Captures.load("06_status_dead.txt").get("1").sent(),
                WdPacket.request(WdType.NODE_STATUS_CHANGE, Payloads.nodeStatusChange(Optional.empty(), 2,
                        Payloads.NODE_STATUS_DEAD, "external lifecheck: node 2 unreachable")).encode());
        assertArrayEquals(Captures.load("12_auth_cases.txt").get("AUTH-7").sent(),
                WdPacket.request(WdType.GET_RUNTIME_VARIABLE, Payloads.runtimeVariable(KEY, "WDState")).encode());
    }

    @Test
    void smallRepliesAreByteForByteWhatTheWatchdogSends() {
        var errors = Captures.load("04_error_cases.txt");
        assertArrayEquals(errors.get("F").received(),
                WdPacket.reply((byte) '6', Payloads.message("unknown IPC command type")).encode());
        assertArrayEquals(errors.get("G").received(), WdPacket.reply((byte) '7', Payloads.value(Payloads.VALUE_INT, 4)).encode());
        assertArrayEquals(errors.get("I").received(), WdPacket.reply((byte) '7', Payloads.value(Payloads.VALUE_BOOL, 1)).encode());
        assertArrayEquals(errors.get("A").received(), WdPacket.empty((byte) '6').encode());
        assertArrayEquals(Captures.load("12_auth_cases.txt").get("AUTH-1").received(),
                WdPacket.reply((byte) '6', Payloads.message("authentication failed: invalid KEY")).encode());
    }

    @Test
    void keysAreReadCaseInsensitivelyAndATrailingNulIsAccepted() throws IOException {
        var edge = Captures.load("08_status_edge_cases.txt");
        JsonFields lower = JsonFields.parse(decode(edge.get("6").sent()).text());
        assertEquals(1, lower.requireInt("NodeID"));
        assertEquals(2, lower.requireInt("NodeStatus"));
        assertEquals("case test", lower.textOr("Message", ""));
        WdPacket withNul = decode(edge.get("7").sent());
        assertEquals(0, withNul.data()[withNul.data().length - 1]);
        assertEquals(2, JsonFields.parse(withNul.text()).requireInt("NodeStatus"));
    }

    @Test
    void aStringWhereAnIntegerBelongsIsRefusedByName() throws IOException {
        WdPacket p = decode(Captures.load("19_misc.txt").get("X1").sent());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> JsonFields.parse(p.text()).requireInt("NodeID"));
        assertTrue(e.getMessage().contains("NodeID") && e.getMessage().contains("integer"), e.getMessage());
    }

    @Test
    void emptyContainersAreDetected() {
        assertTrue(JsonFields.hasEmptyContainer("{}"));
        assertTrue(JsonFields.hasEmptyContainer("{\"NodeID\":-1,\"x\":[]}"));
        assertTrue(JsonFields.hasEmptyContainer("{\"a\":{\"b\":{}}}"));
        assertTrue(JsonFields.hasEmptyContainer("not json"));
        assertFalse(JsonFields.hasEmptyContainer(Payloads.getNodesList(-1, KEY)));
    }

    @Test
    void stringsAreEscaped() {
        String json = Payloads.message("a \"quoted\"\nline");
        assertEquals("{\"MESSAGE\":\"a \\\"quoted\\\"\\nline\"}", json);
        assertEquals("a \"quoted\"\nline", JsonFields.parse(json).textOr("MESSAGE", ""));
    }
}
