package io.vigil.pgpool.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.pgpool.codec.Dialect;
import io.vigil.pgpool.codec.JsonFields;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdState;
import io.vigil.pgpool.codec.WdCodec;
import io.vigil.pgpool.codec.WdPacket;
import io.vigil.pgpool.ipc.AuthKey;
import io.vigil.pgpool.ipc.WatchdogClient;
import io.vigil.testing.Await;
import io.vigil.pgpool.ipc.WatchdogException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The compatible server over its real socket, against well-formed, malformed and hostile clients. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchdogServerTest {

    static final Duration READ_TIMEOUT = Duration.ofMillis(300);

    @TempDir
    Path tmp;

    final FakeView view = new FakeView();
    WatchdogServer server;
    Path socket;

    @BeforeEach
    void start() throws IOException {
        socket = tmp.resolve(".s.PGPOOLWD_CMD.9000");
        server = start(Optional.empty());
    }

    WatchdogServer start(Optional<AuthKey> key) throws IOException {
        return new WatchdogServer(socket, new RequestHandler(Dialect.PGPOOL, key, view), PeerCheck.agentUid(),
                new WatchdogServer.Limits(8, 512, READ_TIMEOUT, 4096, 2));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    AFUNIXSocket connect() throws IOException {
        AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket));
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends bytes and reads everything until the server closes. */
    byte[] exchange(byte[] bytes) throws IOException {
        try (AFUNIXSocket s = connect()) {
            s.getOutputStream().write(bytes);
            return readToEnd(s.getInputStream());
        }
    }

    static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
            b.write(buf, 0, n);
        }
        return b.toByteArray();
    }

    WatchdogClient client(Optional<AuthKey> key) {
        return new WatchdogClient(socket, key, Dialect.PGPOOL, Duration.ofSeconds(5), WdCodec.DEFAULT_MAX_BYTES);
    }

    void assertStillServes() throws Exception {
        assertEquals(view.list, client(Optional.empty()).nodes());
    }

    /** Waits, boundedly, for a condition the server reaches on its own threads. */
    static void await(BooleanSupplier condition, String what) {
        Await.until(what, condition);
    }

    AFUNIXSocket subscribe() throws IOException {
        AFUNIXSocket s = connect();
        s.getOutputStream().write(WdPacket.empty((byte) '0').encode());
        return s;
    }

    /** A list far larger than a socket's buffers, so that a subscriber that does not read blocks its write. */
    static NodeList huge() {
        List<WatchdogNode> nodes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            nodes.add(new WatchdogNode(i, WdState.STANDBY, 0, "MEMBER", "10.0." + i / 256 + "." + i % 256 + ":9999 Linux n" + i,
                    "10.0." + i / 256 + "." + i % 256, "STANDBY", "Not_Set", 9000, 9999, 1, Optional.empty()));
        }
        return new NodeList(nodes.size() - 1, nodes.size() - 1, nodes.size() / 2 + 1, 1, nodes.size() - 1, 0,
                nodes.get(0).nodeName(), nodes.get(0).hostName(), nodes.size(), nodes);
    }

    @Test
    void servesTheNodesListOwnerOnlyAndOneCommandPerConnection() throws Exception {
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(socket));
        assertStillServes();
        byte[] one = WdPacket.request((byte) 'v', "{\"VarName\":\"WDState\"}").encode();
        byte[] two = new byte[one.length * 2];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        assertArrayEquals(WdPacket.reply((byte) '7', "{\"ValueDataType\":1,\"ValueData\":4}").encode(), exchange(two),
                "one reply, then the connection is closed");
    }

    @Test
    void emptyObjectsAndArraysAreAnsweredAndTheServerStaysUp() throws Exception {
        assertArrayEquals(new byte[] {'6', 0, 0, 0, 0}, exchange(WdPacket.request((byte) '3', "{}").encode()));
        assertArrayEquals(new byte[] {'6', 0, 0, 0, 0}, exchange(WdPacket.request((byte) '2', "[]").encode()));
        assertArrayEquals(new byte[] {'6', 0, 0, 0, 0}, exchange(WdPacket.request((byte) '2', "{\"a\":[],\"b\":{}}").encode()));
        assertEquals('7', exchange(WdPacket.request((byte) '3', "{\"NodeID\":-1,\"x\":[],\"y\":{}}").encode())[0]);
        assertStillServes();
    }

    @Test
    void aHalfSentPacketTimesOutWithoutHoldingUpOthers() throws Exception {
        byte[] full = WdPacket.request((byte) '3', "{\"NodeID\":-1}").encode();
        try (AFUNIXSocket stalled = connect()) {
            stalled.getOutputStream().write(full, 0, 3);
            assertStillServes();
            assertArrayEquals(new byte[0], readToEnd(stalled.getInputStream()),
                    "the stalled connection is closed without a reply once the read timeout passes");
        }
        try (AFUNIXSocket trickling = connect()) {
            // one byte at a time, each well within the read timeout, never completing in time
            java.io.OutputStream out = trickling.getOutputStream();
            long start = System.nanoTime();
            int sent = 0;
            boolean closedByServer = false;
            try {
                while (sent < full.length - 1 && System.nanoTime() - start < READ_TIMEOUT.toNanos() * 10) {
                    out.write(full[sent++]);
                    LockSupport.parkNanos(READ_TIMEOUT.toNanos() / 4);
                }
            } catch (IOException e) {
                closedByServer = true;
            }
            assertTrue(closedByServer, "the server waited for a trickle of " + sent + " bytes");
            assertTrue(sent < full.length - 1);
        }
        try (AFUNIXSocket silent = connect()) {
            assertArrayEquals(new byte[0], readToEnd(silent.getInputStream()), "a silent client is dropped too");
        }
        assertStillServes();
    }

    @Test
    void oversizedAndNegativeLengthsAreRefusedWithAMessage() throws Exception {
        for (byte[] header : List.of(new byte[] {'3', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                new byte[] {'3', 0, 0, 0x10, 1}, new byte[] {'3', (byte) 0x80, 0, 0, 0})) {
            byte[] reply = exchange(header);
            assertEquals('6', reply[0]);
            String message = JsonFields.parse(new WdPacket((byte) '6', java.util.Arrays.copyOfRange(reply, 5,
                    reply.length)).text()).textOr("MESSAGE", "");
            assertTrue(message.contains("expected at most 4096"), message);
        }
        assertStillServes();
    }

    @Test
    void garbageAndUnknownTypesNeverTakeItDown() throws Exception {
        assertArrayEquals(WdPacket.reply((byte) '6', "{\"MESSAGE\":\"unknown IPC command type\"}").encode(),
                exchange(WdPacket.request((byte) 'Z', "{}").encode()));
        assertArrayEquals(new byte[] {'6', 0, 0, 0, 0}, exchange(WdPacket.request((byte) '3', "not json").encode()));
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            byte[] reply = exchange(junk);
            assertTrue(reply.length == 0 || reply[0] == '6' || reply[0] == '7', "reply to junk " + i);
        }
        assertStillServes();
    }

    @Test
    void manyConnectionsAtOnceAreAllServedOrClosedAndItStaysUp() throws Exception {
        List<AFUNIXSocket> idle = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            for (int i = 0; i < 100; i++) {
                idle.add(connect());
            }
            List<Future<NodeList>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // the 100 idle connections each hold one of 8 workers for READ_TIMEOUT first (about 4 s in
                // all), so these clients wait far longer than the usual 5 s allows on a loaded machine
                answers.add(clients.submit(() -> new WatchdogClient(socket, Optional.empty(), Dialect.PGPOOL,
                        Duration.ofSeconds(45), WdCodec.DEFAULT_MAX_BYTES).nodes()));
            }
            for (Future<NodeList> f : answers) {
                assertEquals(view.list, f.get());
            }
        } finally {
            clients.shutdownNow();
            for (AFUNIXSocket s : idle) {
                s.close();
            }
        }
        assertEquals(0, server.refusedConnections());
        assertStillServes();
    }

    @Test
    void registeredConnectionsAreNotifiedWhenTheNodeListChanges() throws Exception {
        try (AFUNIXSocket subscriber = connect()) {
            subscriber.getOutputStream().write(WdPacket.empty((byte) '0').encode());
            await(() -> server.subscriberCount() > 0, "the subscriber registered");
            assertEquals(1, server.subscriberCount());
            NodeList changed = new NodeList(1, 1, 1, -1, 0, 0, NodeList.NO_LEADER, NodeList.NO_LEADER, 2,
                    view.list.nodes());
            view.list = changed;
            server.nodesChanged(changed);
            WdPacket note = WdCodec.read(subscriber.getInputStream(), 1 << 20).orElseThrow();
            assertEquals('7', note.type());
            assertEquals(changed, NodeList.parse(note.text()));
        }
    }

    @Test
    void subscribersBeyondTheLimitAreRefused() throws Exception {
        List<AFUNIXSocket> kept = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                AFUNIXSocket s = connect();
                s.getOutputStream().write(WdPacket.empty((byte) '0').encode());
                kept.add(s);
            }
            await(() -> server.subscriberCount() >= 2, "both subscribers registered");
            byte[] reply = exchange(WdPacket.empty((byte) '0').encode());
            assertEquals('6', reply[0]);
            assertTrue(new String(reply, java.nio.charset.StandardCharsets.UTF_8).contains("too many notification subscribers"));
        } finally {
            for (AFUNIXSocket s : kept) {
                s.close();
            }
        }
    }

    @Test
    void aFailingAcceptIsLoggedAndRetriedUntilItWorks() throws Exception {
        server.close();
        AtomicInteger failures = new AtomicInteger(3);
        List<Long> tries = new CopyOnWriteArrayList<>();
        server = new WatchdogServer(socket, new RequestHandler(Dialect.PGPOOL, Optional.empty(), view), PeerCheck.agentUid(),
                new WatchdogServer.Limits(8, 512, READ_TIMEOUT, 4096, 2), s -> {
                    tries.add(System.nanoTime());
                    if (failures.getAndDecrement() > 0) {
                        throw new IOException("Too many open files");
                    }
                    return s.accept();
                }, Duration.ofMillis(20), Duration.ofMillis(40));
        assertStillServes();
        assertStillServes();
        assertTrue(server.accepting());
        assertTrue(tries.size() >= 5, tries.size() + " accepts");
    }

    @Test
    void theAcceptBackoffStartsAtItsMinimumAndDoublesUpToItsMaximum() {
        Duration min = Duration.ofMillis(20);
        Duration max = Duration.ofMillis(70);
        List<Long> waits = new ArrayList<>();
        long previous = 0;
        for (int failures = 1; failures <= 5; failures++) {
            previous = WatchdogServer.backoff(failures, previous, min, max);
            waits.add(TimeUnit.NANOSECONDS.toMillis(previous));
        }
        assertEquals(List.of(20L, 40L, 70L, 70L, 70L), waits);
    }

    @Test
    void closeEndsTheAcceptorWhileItBacksOff() throws Exception {
        server.close();
        CountDownLatch failed = new CountDownLatch(1);
        server = new WatchdogServer(socket, new RequestHandler(Dialect.PGPOOL, Optional.empty(), view), PeerCheck.agentUid(),
                new WatchdogServer.Limits(8, 512, READ_TIMEOUT, 4096, 2), s -> {
                    failed.countDown();
                    throw new IOException("Too many open files");
                }, Duration.ofMinutes(10), Duration.ofMinutes(10));
        assertTrue(failed.await(10, TimeUnit.SECONDS));
        assertTrue(server.accepting(), "still trying after a failed accept");
        server.close();
        assertFalse(server.accepting(), "close() released the backoff");
        assertFalse(Files.exists(socket));
    }

    @Test
    void aRuntimeExceptionFromTheViewIsAnsweredWithAMessage() throws Exception {
        view.failure = new IllegalStateException("membership unavailable");
        byte[] reply = exchange(WdPacket.request((byte) '3', "{\"NodeID\":-1}").encode());
        assertEquals('6', reply[0]);
        String message = JsonFields.parse(new WdPacket((byte) '6', java.util.Arrays.copyOfRange(reply, 5, reply.length))
                .text()).textOr("MESSAGE", "");
        assertEquals("internal error: java.lang.IllegalStateException: membership unavailable", message);
        view.failure = null;
        assertStillServes();
    }

    @Test
    void closedSubscribersAreDroppedAtOnceAndFreeTheirPlaces() throws Exception {
        for (int round = 0; round < 3; round++) {
            AFUNIXSocket a = subscribe();
            AFUNIXSocket b = subscribe();
            await(() -> server.subscriberCount() == 2, "two subscribers");
            a.close();
            b.close();
            await(() -> server.subscriberCount() == 0, "closed subscribers dropped without a notification");
        }
        try (AFUNIXSocket s = subscribe()) {
            await(() -> server.subscriberCount() == 1, "REGISTER accepted again");
            server.nodesChanged(view.list);
            assertEquals(view.list, NodeList.parse(WdCodec.read(s.getInputStream(), 1 << 20).orElseThrow().text()));
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsDroppedWithoutDelayingTheOthers() throws Exception {
        server.close();
        Duration writeLimit = Duration.ofSeconds(6);
        server = new WatchdogServer(socket, new RequestHandler(Dialect.PGPOOL, Optional.empty(), view), PeerCheck.agentUid(),
                new WatchdogServer.Limits(8, 512, writeLimit, 4096, 4));
        NodeList huge = huge();
        int packetBytes = WdPacket.reply((byte) '7', huge.toJson()).encode().length;
        try (AFUNIXSocket stuck = subscribe(); AFUNIXSocket reader = subscribe()) {
            await(() -> server.subscriberCount() == 2, "two subscribers");
            long sent = System.nanoTime();
            server.nodesChanged(huge);
            String notification = WdCodec.read(reader.getInputStream(), 1 << 24).orElseThrow().text();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertEquals(2, server.subscriberCount(), "the reader got its notification (in " + tookMs
                    + " ms) before the stuck subscriber's " + writeLimit.toMillis() + " ms were up");
            assertEquals(huge, NodeList.parse(notification));
            await(() -> server.subscriberCount() == 1, "the stuck subscriber dropped after its write limit");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) >= writeLimit.toMillis());
            int got = readToEnd(stuck.getInputStream()).length;
            assertTrue(got < packetBytes, "the stuck subscriber's connection was closed mid-notification (" + got
                    + " of " + packetBytes + " bytes)");
            server.nodesChanged(view.list);
            assertEquals(view.list, NodeList.parse(WdCodec.read(reader.getInputStream(), 1 << 20).orElseThrow().text()));
        }
    }

    @Test
    void aWrongKeyIsReportedClearlyAndTheRightOneWorks() throws Exception {
        server.close();
        server = start(AuthKey.load("s3cr3t", ""));
        WatchdogException e = assertThrows(WatchdogException.class,
                () -> client(AuthKey.load("wrong", "")).nodes());
        assertTrue(e.getMessage().contains("authentication failed: invalid KEY")
                && e.getMessage().contains("does not match the watchdog's wd_authkey"), e.getMessage());
        assertThrows(WatchdogException.class, () -> client(Optional.empty()).nodes());
        assertEquals(view.list, client(AuthKey.load("s3cr3t", "")).nodes());
        client(AuthKey.load("s3cr3t", "")).reportStatus(1, 1, "test");
        assertEquals(List.of(new FakeView.Report(1, false, "test")), view.reports);
    }

    @Test
    void aSecondServerOnTheSameSocketIsRefused() {
        IOException e = assertThrows(IOException.class, () -> start(Optional.empty()));
        assertTrue(e.getMessage().contains("already answers"), e.getMessage());
    }

    @Test
    void peerPolicyAllowsTheAgentsUserAndRootOnly() {
        assertEquals(Optional.empty(), PeerCheck.refusal(1000, 1000));
        assertEquals(Optional.empty(), PeerCheck.refusal(0, 1000));
        assertTrue(PeerCheck.refusal(1001, 1000).orElseThrow().contains("uid 1001"));
        assertTrue(PeerCheck.refusal(-1, 1000).isPresent());
    }
}
