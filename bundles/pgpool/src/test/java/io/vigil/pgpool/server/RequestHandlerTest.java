package io.vigil.pgpool.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.pgpool.codec.Dialect;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WdCodec;
import io.vigil.pgpool.codec.WdPacket;
import io.vigil.pgpool.ipc.AuthKey;
import io.vigil.pgpool.testing.Captures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The handler answers the captured requests with the captured replies of the real watchdog,
 * wherever a reply does not depend on the cluster's nodes.
 */
class RequestHandlerTest {

    private final FakeView view = new FakeView();
    private final RequestHandler open = new RequestHandler(Dialect.PGPOOL, Optional.empty(), view);
    private final RequestHandler keyed = new RequestHandler(Dialect.PGPOOL,
            AuthKey.load("s3cr3t-k3y", ""), view);

    private static WdPacket packet(byte[] wire) throws IOException {
        return WdCodec.read(new ByteArrayInputStream(wire), WdCodec.DEFAULT_MAX_BYTES).orElseThrow();
    }

    private static byte[] reply(RequestHandler h, byte[] request) throws IOException {
        return h.handle(packet(request)).reply().map(WdPacket::encode).orElse(new byte[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "C", "F", "J", "K", "L", "O", "P"})
    void errorCasesGetTheRealWatchdogsReplies(String section) throws IOException {
        Captures.Exchange x = Captures.load("04_error_cases.txt").get(section);
        assertArrayEquals(x.received(), reply(open, x.sent()), x.title());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTH-1", "AUTH-2", "AUTH-4", "AUTH-6", "AUTH-8", "AUTH-9"})
    void authenticationFailuresGetTheRealWatchdogsReplies(String section) throws IOException {
        Captures.Exchange x = Captures.load("12_auth_cases.txt").get(section);
        assertArrayEquals(x.received(), reply(keyed, x.sent()), x.title());
        assertTrue(view.reports.isEmpty());
    }

    @Test
    void theRightKeyInAnyCaseOfItsNameIsAccepted() throws IOException {
        Map<String, Captures.Exchange> auth = Captures.load("12_auth_cases.txt");
        assertEquals('7', reply(keyed, auth.get("AUTH-10").sent())[0]);
        assertArrayEquals(auth.get("AUTH-7").received(), reply(keyed, auth.get("AUTH-7").sent()));
        view.list = withNode2(view.list);
        assertArrayEquals(auth.get("AUTH-5").received(), reply(keyed, auth.get("AUTH-5").sent()));
        assertEquals(java.util.List.of(new FakeView.Report(2, true, "with key")), view.reports);
    }

    @Test
    void statusChangesAreFedIntoVigilAndAnsweredWithoutAPacket() throws IOException {
        var dead = Captures.load("06_status_dead.txt").get("1");
        view.list = withNode2(view.list);
        assertArrayEquals(dead.received(), reply(open, dead.sent()));
        assertEquals(new FakeView.Report(2, false, "external lifecheck: node 2 unreachable"), view.reports.get(0));
        var alive = Captures.load("07_status_alive.txt").get("2");
        assertArrayEquals(alive.received(), reply(open, alive.sent()));
        assertEquals(2, view.reports.size());
        assertTrue(view.reports.get(1).alive() && view.reports.get(1).nodeId() == 2);
    }

    private static NodeList withNode2(NodeList l) {
        var nodes = new java.util.ArrayList<>(l.nodes());
        nodes.add(new io.vigil.pgpool.codec.WatchdogNode(2, 7, 0, "MEMBER", "127.0.0.1:11020 Linux vm", "127.0.0.1",
                "STANDBY", "Not_Set", 11022, 11020, 1, Optional.empty()));
        return new NodeList(2, 2, 2, 1, 2, 0, l.leaderNodeName(), l.leaderHostName(), 3, nodes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "4", "5"})
    void statusChangeEdgeCasesGetTheRealWatchdogsReplies(String section) throws IOException {
        Captures.Exchange x = Captures.load("08_status_edge_cases.txt").get(section);
        assertArrayEquals(x.received(), reply(open, x.sent()), x.title());
        assertTrue(view.reports.isEmpty(), "unknown node, status 3 or a missing status is not a report");
    }

    @Test
    void aNodeIdGivenAsAStringIsRefusedWithAnEmptyBadReply() throws IOException {
        Captures.Exchange x = Captures.load("19_misc.txt").get("X1");
        assertArrayEquals(x.received(), reply(open, x.sent()));
    }

    @Test
    void anEmptyObjectOrArrayIsAnsweredInsteadOfCrashing() {
        assertArrayEquals(new byte[] {'6', 0, 0, 0, 0},
                open.handle(WdPacket.request((byte) '3', "{}")).reply().orElseThrow().encode());
        assertArrayEquals(new byte[] {'6', 0, 0, 0, 0},
                open.handle(WdPacket.request((byte) '2', "[]")).reply().orElseThrow().encode());
        WdPacket list = open.handle(WdPacket.request((byte) '3', "{\"NodeID\":-1,\"x\":[]}")).reply().orElseThrow();
        assertEquals('7', list.type());
        assertEquals(view.list, NodeList.parse(list.text()));
        assertEquals("authentication failed: invalid KEY", io.vigil.pgpool.codec.JsonFields
                .parse(keyed.handle(WdPacket.request((byte) '3', "{}")).reply().orElseThrow().text()).textOr("MESSAGE", ""));
    }

    @Test
    void nodesListGivesAllNodesOneNodeOrAPlaceholder() {
        NodeList all = NodeList.parse(open.handle(WdPacket.request((byte) '3', "{\"NodeID\":-1}")).reply().orElseThrow().text());
        assertEquals(view.list, all);
        NodeList one = NodeList.parse(open.handle(WdPacket.request((byte) '3', "{\"NodeID\":1}")).reply().orElseThrow().text());
        assertEquals(1, one.nodeCount());
        assertEquals(view.list.nodes().get(1), one.nodes().get(0));
        NodeList none = NodeList.parse(open.handle(WdPacket.request((byte) '3', "{\"NodeID\":7}")).reply().orElseThrow().text());
        assertEquals(-1, none.nodes().get(0).id());
        assertEquals("Not_Set", none.nodes().get(0).hostName());
    }

    @Test
    void theManualDialectAnswersWithItsOwnBytes() {
        RequestHandler manual = new RequestHandler(Dialect.MANUAL, Optional.empty(), view);
        assertEquals('4', manual.handle(WdPacket.request((byte) '3', "{\"NodeID\":-1}")).reply().orElseThrow().type());
        assertEquals('8', manual.handle(WdPacket.request((byte) 'Z', "{}")).reply().orElseThrow().type());
        assertEquals('9', manual.handle(WdPacket.request((byte) 'v', "{\"VarName\":\"WDState\"}")).reply().orElseThrow().type());
    }

    @Test
    void registerKeepsTheConnectionWithoutAReply() {
        RequestHandler.Outcome o = open.handle(WdPacket.empty((byte) '0'));
        assertTrue(o.subscribe());
        assertFalse(o.reply().isPresent());
        assertFalse(keyed.handle(WdPacket.empty((byte) '0')).subscribe(), "with a key, REGISTER must carry it");
    }
}
