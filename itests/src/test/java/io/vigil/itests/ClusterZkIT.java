package io.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import io.vigil.api.rgm.ResourceGroupManager;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The wrapped ZooKeeper client and Curator's osgi jars resolve inside Felix, and switching configuration
 * io.vigil.cluster to zookeeper mode replaces the local store by the store on ZooKeeper (a server that this test
 * starts on the host side), on which the RGM runs, with membership, election and change events.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClusterZkIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String CONNECT = "vigil.itest.zk.connect";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurations;

    @Configuration
    public Option[] config() throws Exception {
        return options(
                junitBundles(),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                frameworkProperty("vigil.data").value(new File("target/pax-data/" + System.nanoTime()).getAbsolutePath()),
                frameworkProperty(CONNECT).value(Server.connectString()),
                staged("org.osgi.util.function"),
                staged("org.osgi.util.promise"),
                staged("org.osgi.service.component"),
                staged("org.apache.felix.scr"),
                staged("org.apache.felix.configadmin"),
                staged("org.apache.felix.metatype"),
                staged("org.apache.felix.fileinstall"),
                staged("org.apache.felix.eventadmin"),
                staged("jackson-core"),
                staged("jackson-annotations"),
                staged("jackson-databind"),
                staged("io.vigil.api"),
                staged("io.vigil.cluster.local"),
                staged("io.vigil.pmf"),
                staged("io.vigil.rgm"),
                staged("io.vigil.thirdparty.zookeeper"),
                staged("failureaccess"),
                staged("jsr305"),
                staged("guava"),
                staged("curator-client-osgi"),
                staged("curator-framework-osgi"),
                staged("curator-recipes-osgi"),
                staged("io.vigil.cluster.zk"),
                cleanCaches());
    }

    private static Option staged(String name) {
        File jar = new File(System.getProperty("vigil.itest.bundles", "target/bundles"), name + ".jar");
        return bundle(jar.toURI().toString());
    }

    /** The ZooKeeper server, on the host side (never loaded inside the framework); it ends with the test JVM. */
    static final class Server {
        private static TestingServer server;

        static synchronized String connectString() throws Exception {
            if (server == null) {
                server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 100, -1), true);
            }
            return server.getConnectString();
        }
    }

    private String providerOf(ServiceReference<?> ref) {
        return ref.getBundle().getSymbolicName();
    }

    private Collection<ServiceReference<ClusterStore>> stores() {
        try {
            return context.getServiceReferences(ClusterStore.class, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter, no syntax error", e);
        }
    }

    @Test
    public void zookeeperModeReplacesTheLocalStoreAndTheRgmRunsOnIt() throws Exception {
        // Local mode by default: one store, the file-backed one, and no ZooKeeper client at all.
        Await.until("the local store is registered", TIMEOUT, () -> stores().size() == 1);
        assertEquals("io.vigil.cluster.local", providerOf(stores().iterator().next()));
        Await.until("the RGM runs on the local store", TIMEOUT,
                () -> context.getServiceReference(ResourceGroupManager.class) != null);
        assertEquals("no ZooKeeper client thread in local mode", List.of(), zooKeeperClientThreads());

        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, ClusterEvents.TOPIC_PREFIX + "*");
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, events::add, topics);
        try {
            Dictionary<String, Object> zk = new Hashtable<>();
            zk.put("mode", "zookeeper");
            zk.put("connect", context.getProperty(CONNECT));
            zk.put("session.timeout.ms", 6000); // nothing here waits for an expiry; a stall must not cause one
            zk.put("node.name", "itest-1");
            zk.put("node.addresses", new String[] {"127.0.0.1"});
            configurations.getConfiguration("io.vigil.cluster", "?").update(zk);

            Await.until("the ZooKeeper store is the only store", TIMEOUT, () -> {
                Collection<ServiceReference<ClusterStore>> now = stores();
                return now.size() == 1 && providerOf(now.iterator().next()).equals("io.vigil.cluster.zk");
            });
            ClusterStore store = context.getService(stores().iterator().next());
            assertEquals("itest-1", store.nodeName());

            ServiceReference<ClusterMembership> membershipRef = Await.value("the membership is registered", TIMEOUT,
                    () -> context.getServiceReference(ClusterMembership.class), r -> r != null);
            assertEquals("io.vigil.cluster.zk", providerOf(membershipRef));
            ClusterMembership membership = context.getService(membershipRef);
            assertEquals(List.of("itest-1"), membership.nodes().stream().map(ClusterNode::name).toList());
            assertEquals(List.of("127.0.0.1"), membership.node("itest-1").orElseThrow().addresses());
            Await.until("itest-1 coordinates", TIMEOUT, membership::isCoordinator);
            long epoch = membership.coordinator().orElseThrow().epoch();

            store.commitFenced(epoch, List.of(StoreOperation.put("itest/key", "v".getBytes(StandardCharsets.UTF_8),
                    StoreOperation.ABSENT)));
            StoreEntry entry = store.get("itest/key").orElseThrow();
            assertEquals(1, entry.version());
            Event changed = next(events, ClusterEvents.STORE_CHANGED);
            assertEquals("itest/key", changed.getProperty(ClusterEvents.KEY));
            assertEquals(ClusterEvents.CREATED, changed.getProperty(ClusterEvents.CHANGE));

            Await.until("the RGM runs on the ZooKeeper store", TIMEOUT,
                    () -> context.getServiceReference(ResourceGroupManager.class) != null);
            ResourceGroupManager rgm = context.getService(context.getServiceReference(ResourceGroupManager.class));
            assertTrue("no group in a new cluster", rgm.groups().isEmpty());

            // Back to local mode: the ZooKeeper client goes, the local store comes back.
            configurations.getConfiguration("io.vigil.cluster", "?").delete();
            Await.until("the local store is the only store again", TIMEOUT, () -> {
                Collection<ServiceReference<ClusterStore>> now = stores();
                return now.size() == 1 && providerOf(now.iterator().next()).equals("io.vigil.cluster.local");
            });
            Await.until("the ZooKeeper client is closed", TIMEOUT, () -> zooKeeperClientThreads().isEmpty());
        } finally {
            handler.unregister();
        }
    }

    /** @return the names of the threads of ZooKeeper clients (the server's own threads are named otherwise) */
    private static List<String> zooKeeperClientThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.contains("-SendThread(") || n.endsWith("-EventThread")).toList();
    }

    private static Event next(LinkedBlockingQueue<Event> events, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no event " + topic + " within " + TIMEOUT);
            }
            if (e.getTopic().equals(topic)) {
                return e;
            }
        }
    }
}
