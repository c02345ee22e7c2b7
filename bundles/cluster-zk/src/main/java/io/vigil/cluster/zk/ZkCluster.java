package io.vigil.cluster.zk;

import io.vigil.api.cluster.ClusterEvents;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node in a cluster on ZooKeeper: one Curator client (its session is the node's membership), the
 * {@link ZkClusterStore}, the {@link ZkMembership}, and one {@link CuratorCache} of the whole tree that feeds the
 * membership's view and posts {@link ClusterEvents#STORE_CHANGED}.
 *
 * <p>{@link #start} returns at once; once the client first connects, the cluster's znodes are created if need be,
 * the node registers and enters the election, and once the cache has loaded the {@code ready} callback runs (it
 * registers the services). Until then, and if the ensemble is never reached, nothing is provided.
 */
final class ZkCluster implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ZkCluster.class);

    private final ZkSettings settings;
    private final Clock clock;
    private final CuratorFramework client;
    private final CuratorCache cache;
    private final ZkClusterStore store;
    private final ZkMembership membership;
    /** Runs the set-up, the election's callbacks and the cache's: one at a time, in order. */
    private final ExecutorService executor;
    /** Where the events go, in order (through {@link #poster}). */
    private final Notifier notifier;
    /** Runs the membership's heartbeat and suspension deadlines. */
    private final ScheduledExecutorService timer;
    /** Posts every event, from one thread, so that EventAdmin delivers them in the order they happened. */
    private final ExecutorService poster;
    private final Object lifecycle = new Object();
    /** Guarded by lifecycle. */
    private boolean started;
    /** Guarded by lifecycle. */
    private boolean closed;
    private volatile boolean initialized;
    /** Run once the cache has loaded; null before {@link #start} and after it ran. */
    private volatile Runnable ready;

    ZkCluster(ZkSettings settings, Notifier notifier, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(r -> daemon(r, "vigil-cluster-zk"));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "vigil-cluster-zk-timer"));
        this.poster = Executors.newSingleThreadExecutor(r -> daemon(r, "vigil-cluster-zk-events"));
        this.notifier = (topic, properties) -> {
            try {
                poster.execute(() -> notifier.post(topic, properties));
            } catch (RejectedExecutionException e) {
                LOG.debug("Event {} not posted: node {} has left the cluster", topic, settings.nodeName());
            }
        };
        this.client = CuratorFrameworkFactory.builder()
                .connectString(settings.connect())
                .sessionTimeoutMs(settings.sessionTimeoutMs())
                .connectionTimeoutMs(settings.sessionTimeoutMs())
                .retryPolicy(new ExponentialBackoffRetry(100, 3))
                // The election holds through SUSPENDED: a coordinator that reconnects with the same session
                // keeps its term (its latch znode never went away), so a ZooKeeper server's restart moves
                // nothing. While suspended it is not the coordinator (ZkMembership#isCoordinator) and cannot
                // commit, and a fenced commit checks its latch znode and epoch on the ensemble anyway.
                .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy())
                .build();
        this.cache = CuratorCache.build(client, settings.root());
        this.membership = new ZkMembership(client, settings, cache, this.notifier, clock, executor, timer);
        this.store = new ZkClusterStore(client, settings, membership::termLatch);
    }

    /**
     * Connects in the background.
     *
     * @param ready run once, after the first connection, when the store and the membership are usable
     */
    void start(Runnable ready) {
        this.ready = ready;
        // On Curator's own thread, which the executor's blocking calls cannot hold up: the suspension's deadline
        // counts from when it is seen.
        client.getConnectionStateListenable().addListener((c, state) -> {
            membership.sessionChanged(state);
            if (state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED) {
                executor.execute(this::setUp);
            }
        });
        long beat = Math.max(1, settings.sessionTimeoutMs() / 6);
        timer.scheduleAtFixedRate(membership::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        cache.listenable().addListener(new CacheListener(), executor);
        LOG.info("Node {} connecting to ZooKeeper {} (session timeout {} ms, root {})", settings.nodeName(),
                settings.connect(), settings.sessionTimeoutMs(), settings.root());
        client.start();
    }

    private void setUp() {
        synchronized (lifecycle) {
            if (started || closed) {
                return;
            }
            try {
                for (String path : new String[] {settings.store(), settings.nodes(), settings.election(),
                        settings.epoch()}) {
                    create(path);
                }
                cache.start();
                membership.start();
                started = true;
            } catch (Exception e) {
                LOG.error("Node {} could not set up the cluster under {} on ZooKeeper {}: {}; it retries at the next "
                        + "connection", settings.nodeName(), settings.root(), settings.connect(), e.toString(), e);
            }
        }
    }

    private void create(String path) throws Exception {
        try {
            client.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
        } catch (KeeperException.NodeExistsException e) {
            // made by another node, or at an earlier start
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** @return the store */
    ZkClusterStore store() {
        return store;
    }

    /** @return the membership */
    ZkMembership membership() {
        return membership;
    }

    /** @return the Curator client, for tests */
    CuratorFramework client() {
        return client;
    }

    /** Leaves the cluster: hands the coordinator role over, unregisters, closes the session. */
    @Override
    public void close() throws IOException {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            executor.submit(() -> {
                try {
                    membership.close();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Node {} could not leave the cluster cleanly: {}", settings.nodeName(), e.toString());
                }
            }).get(settings.sessionTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Node {} did not leave the cluster within {} ms ({}); its session expires instead",
                    settings.nodeName(), settings.sessionTimeoutMs(), e.toString());
        } finally {
            timer.shutdownNow();
            cache.close();
            client.close();
            executor.shutdownNow();
            poster.shutdown();
        }
    }

    /** Store changes become events; membership changes go to the membership. */
    private final class CacheListener implements CuratorCacheListener {

        @Override
        public void event(Type type, ChildData oldData, ChildData data) {
            ChildData d = data != null ? data : oldData;
            String path = d.getPath();
            boolean created = type == Type.NODE_CREATED;
            boolean deleted = type == Type.NODE_DELETED;
            membership.cacheChanged(path, created, deleted, d);
            if (initialized && settings.store().equals(ZKPaths.getPathAndNode(path).getPath())) {
                notifier.post(ClusterEvents.STORE_CHANGED, Map.of(
                        ClusterEvents.NODE, settings.nodeName(),
                        ClusterEvents.TIME, clock.millis(),
                        ClusterEvents.KEY, ZkSettings.keyOf(ZKPaths.getNodeFromPath(path)),
                        ClusterEvents.CHANGE, created ? ClusterEvents.CREATED
                                : deleted ? ClusterEvents.DELETED : ClusterEvents.UPDATED,
                        ClusterEvents.VERSION, deleted ? 0L : d.getStat().getVersion() + 1L));
            }
        }

        @Override
        public void initialized() {
            initialized = true;
            membership.cacheInitialized();
            Runnable r = ready;
            ready = null;
            if (r != null) {
                // Not on this thread: registering the services activates their users, which read the store.
                Thread t = new Thread(r, "vigil-cluster-zk-ready");
                t.setDaemon(true);
                t.start();
            }
        }
    }
}
