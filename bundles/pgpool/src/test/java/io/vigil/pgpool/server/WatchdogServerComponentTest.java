package io.vigil.pgpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.rgm.NodeReport;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.rgm.RgmException;
import io.vigil.pgpool.codec.Payloads;
import io.vigil.testing.UnsupportedRgm;
import io.vigil.pgpool.codec.Dialect;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WdCodec;
import io.vigil.pgpool.codec.WdPacket;
import io.vigil.pgpool.codec.WdState;
import io.vigil.pgpool.ipc.WatchdogClient;
import io.vigil.testing.Await;
import io.vigil.testing.FakeMembership;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The component as DS runs it: the cluster's membership served over the socket, rebuilt on the cluster's events. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchdogServerComponentTest {

    @TempDir
    Path tmp;

    final FakeMembership membership = new FakeMembership("node-b").others("node-a", "node-c").coordinator("node-c", 3);
    /** What the fake framework does when the component registers its handler. */
    Consumer<EventHandler> onRegister = h -> { };
    final List<String> registrations = new CopyOnWriteArrayList<>();

    WatchdogServerComponent activate(Map<String, Object> settings) throws Exception {
        Map<String, Object> values = new HashMap<>(settings);
        values.put("socketDir", tmp.toString());
        WatchdogServerComponent.Config config = (WatchdogServerComponent.Config) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {WatchdogServerComponent.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("registerService") || args[0] != EventHandler.class) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Dictionary<?, ?> props = (Dictionary<?, ?>) args[2];
                    String name = "EventHandler " + Arrays.toString((String[]) props.get(EventConstants.EVENT_TOPIC));
                    registrations.add(name);
                    onRegister.accept((EventHandler) args[1]);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                            (p, m, a) -> {
                                if (!m.getName().equals("unregister")) {
                                    throw new UnsupportedOperationException(m.getName());
                                }
                                registrations.add("unregistered " + name);
                                return null;
                            });
                });
        return new WatchdogServerComponent(context, membership, config);
    }

    WatchdogClient client() {
        return new WatchdogClient(tmp.resolve(".s.PGPOOLWD_CMD.9000"), Optional.empty(), Dialect.PGPOOL,
                Duration.ofSeconds(5), WdCodec.DEFAULT_MAX_BYTES);
    }

    @Test
    void servesTheMembershipAndFollowsItsEventsOnly() throws Exception {
        WatchdogServerComponent c = activate(Map.of("nodeIds", "node-a=0,node-b=1,node-c=2", "pgpoolPort", 5433));
        try (AFUNIXSocket subscriber = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(c.server().socketPath()))) {
            subscriber.setSoTimeout(10_000);
            NodeList served = client().nodes();
            assertEquals("[1:node-b=STANDBY, 0:node-a=STANDBY, 2:node-c=LEADER]", VigilNodesTest.states(served));
            assertEquals(5433, served.nodes().get(2).pgpoolPort());

            subscriber.getOutputStream().write(WdPacket.empty((byte) '0').encode());
            Await.until("the subscriber registered", () -> c.server().subscriberCount() > 0);
            assertEquals(1, c.server().subscriberCount());

            membership.state(NodeState.SUSPENDED);
            assertEquals(served, client().nodes(), "requests answer from memory: nothing changes before the event");
            c.handleEvent(new Event(ClusterEvents.SESSION_SUSPENDED, Map.of()));
            NodeList note = NodeList.parse(WdCodec.read(subscriber.getInputStream(), 1 << 20).orElseThrow().text());
            assertEquals("[1:node-b=IN NETWORK TROUBLE, 0:node-a=STANDBY, 2:node-c=STANDBY]", VigilNodesTest.states(note));
            assertEquals(note, client().nodes());
            assertEquals(WdPacket.reply((byte) '7', "{\"ValueDataType\":1,\"ValueData\":" + WdState.IN_NETWORK_TROUBLE + "}"),
                    client().exchange(WdPacket.request((byte) 'v', "{\"VarName\":\"WDState\"}")).orElseThrow());

            membership.state(NodeState.UP).coordinator("node-b", 4);
            c.handleEvent(new Event(ClusterEvents.COORDINATOR, Map.of()));
            note = NodeList.parse(WdCodec.read(subscriber.getInputStream(), 1 << 20).orElseThrow().text());
            assertEquals("node-b", note.leaderNodeName());
            assertEquals(WdState.LEADER, client().nodes().local().orElseThrow().state());
        } finally {
            c.deactivate();
        }
        assertFalse(Files.exists(tmp.resolve(".s.PGPOOLWD_CMD.9000")));
    }

    @Test
    void aChangeWhileTheHandlerIsBeingRegisteredIsNotLost() throws Exception {
        onRegister = handler -> {
            // an event may reach the handler before activation has ended: it must not fail
            handler.handleEvent(new Event(ClusterEvents.SESSION_SUSPENDED, Map.of()));
            // the coordinator changes while the handler is being registered; its event was published a
            // moment before the handler existed, so it never arrives: only a later snapshot can see it
            membership.coordinator("node-a", 4);
        };
        WatchdogServerComponent c = activate(Map.of("nodeIds", "node-a=0,node-b=1,node-c=2"));
        String handler = "EventHandler [vigil/cluster/node/*, vigil/cluster/coordinator/*, vigil/cluster/session/*, "
                + "vigil/rgm/node/REPORT]";
        try {
            assertEquals(List.of(handler), registrations);
            assertEquals("node-a", client().nodes().leaderNodeName());
        } finally {
            c.deactivate();
        }
        assertEquals(List.of(handler, "unregistered " + handler), registrations);
    }

    /** An RGM that records reports as the real one stores them, and refuses node-x. */
    static final class ReportingRgm extends UnsupportedRgm {
        final Map<String, NodeReport> reports = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.BlockingQueue<String> calls = new java.util.concurrent.LinkedBlockingQueue<>();

        @Override
        public void reportNode(String node, boolean alive, String reason) throws RgmException {
            if (alive) {
                reports.remove(node);
            } else {
                reports.put(node, new NodeReport(node, reason, "node-b", 1));
            }
            calls.add(node + " " + (alive ? "alive" : "dead") + ": " + reason); // last: the test reads the reports next
        }

        @Override
        public List<NodeReport> nodeReports() {
            return List.copyOf(reports.values());
        }
    }

    @Test
    void aStatusChangeGoesOnToTheClusterAndWhatTheClusterHoldsIsShownLost() throws Exception {
        WatchdogServerComponent c = activate(Map.of("nodeIds", "node-a=0,node-b=1,node-c=2"));
        ReportingRgm rgm = new ReportingRgm();
        try {
            c.bindRgm(rgm);
            client().reportStatus(0, Payloads.NODE_STATUS_DEAD, "pgpool on node-a does not answer");
            assertEquals("node-a dead: reported DEAD over the watchdog socket: pgpool on node-a does not answer",
                    rgm.calls.poll(10, TimeUnit.SECONDS));
            Await.until("node-a shown LOST once the cluster holds it dead", () -> states().equals(
                    "[1:node-b=STANDBY, 0:node-a=LOST, 2:node-c=LEADER]"));

            // a report made through another node's socket reaches this one as the RGM's event
            rgm.reports.put("node-c", new NodeReport("node-c", "lifecheck", "node-a", 2));
            assertEquals("[1:node-b=STANDBY, 0:node-a=LOST, 2:node-c=LEADER]", VigilNodesTest.states(client().nodes()),
                    "nothing changes before the event");
            c.handleEvent(new Event(RgmEvents.NODE_REPORT, Map.of(RgmEvents.NODE, "node-c")));
            NodeList both = client().nodes();
            assertEquals("[1:node-b=STANDBY, 0:node-a=LOST, 2:node-c=LOST]", VigilNodesTest.states(both));
            assertEquals(NodeList.NO_LEADER, both.leaderNodeName(), "a coordinator reported dead is no leader");

            client().reportStatus(0, Payloads.NODE_STATUS_ALIVE, "");
            assertEquals("node-a alive: reported ALIVE over the watchdog socket", rgm.calls.poll(10, TimeUnit.SECONDS));
            // node-c's report is withdrawn elsewhere (cluster report node-c alive on another node)
            rgm.reports.remove("node-c");
            c.handleEvent(new Event(RgmEvents.NODE_REPORT, Map.of(RgmEvents.NODE, "node-c")));
            Await.until("both shown members again", () -> states().equals(
                    "[1:node-b=STANDBY, 0:node-a=STANDBY, 2:node-c=LEADER]"));

            // reported DEAD here and withdrawn elsewhere: the cluster's word, not this socket's, is shown
            client().reportStatus(2, Payloads.NODE_STATUS_DEAD, "");
            rgm.calls.poll(10, TimeUnit.SECONDS);
            Await.until("node-c LOST", () -> states().contains("node-c=LOST"));
            rgm.reports.remove("node-c");
            c.handleEvent(new Event(RgmEvents.NODE_REPORT, Map.of(RgmEvents.NODE, "node-c")));
            assertEquals("[1:node-b=STANDBY, 0:node-a=STANDBY, 2:node-c=LEADER]", states());
        } finally {
            c.deactivate();
        }
    }

    /** @return the node states the socket serves now */
    String states() {
        try {
            return VigilNodesTest.states(client().nodes());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aReportTheClusterRefusesIsRaisedAsAnAlarm() throws Exception {
        WatchdogServerComponent c = activate(Map.of("nodeIds", "node-a=0,node-b=1,node-c=2"));
        java.util.concurrent.BlockingQueue<io.vigil.api.alarm.Alarm> raised = new java.util.concurrent.LinkedBlockingQueue<>();
        c.bindAlarmService(raised::add);
        c.bindRgm(new UnsupportedRgm() {
            @Override
            public void reportNode(String node, boolean alive, String reason) throws RgmException {
                throw new RgmException("the report that node " + node + " is dead could not be stored: connection loss");
            }

            @Override
            public List<NodeReport> nodeReports() {
                return List.of();
            }
        });
        try {
            client().reportStatus(2, Payloads.NODE_STATUS_DEAD, "");
            List<String> events = new java.util.ArrayList<>();
            io.vigil.api.alarm.Alarm failed = null;
            for (int i = 0; i < 2 && failed == null; i++) {
                io.vigil.api.alarm.Alarm a = raised.poll(10, TimeUnit.SECONDS);
                events.add(a == null ? "none" : a.event());
                if (a != null && a.event().equals("report_failed")) {
                    failed = a;
                }
            }
            assertTrue(failed != null, "report_failed raised: " + events);
            assertEquals("node-c", failed.instance());
            assertEquals("pgpool", failed.alarmClass());
        } finally {
            c.deactivate();
        }
    }

    @Test
    void badNodeIdsAreRefusedBeforeTheSocketIsCreated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> activate(Map.of("nodeIds", "node-a:0")));
        assertTrue(e.getMessage().startsWith("nodeIds entry 'node-a:0' is not valid; expected <node>=<id>"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve(".s.PGPOOLWD_CMD.9000")));
        assertEquals(List.of(), registrations, "nothing registered for a configuration refused");
    }
}
