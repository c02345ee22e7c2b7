package io.vigil.itests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * What the cluster keeps in ZooKeeper, read from the test JVM with its own Curator client straight to the ensemble
 * (not through any agent's forwarders): the members ({@code <root>/nodes/<name>}), the coordinator (the data of
 * {@code <root>/epoch}), and the store's keys ({@code <root>/store/<key with '/' written ':'>}, JSON values), in
 * particular the RGM's {@code rgm/placement/<group>} and {@code rgm/status/<node>/<group>} (cluster-design.md).
 *
 * <p>It also notes when each member's znode disappears, as this JVM's watch reports it: the moment the ensemble
 * expired that node's session, as every member's watch sees it too.
 */
public final class StoreView implements Closeable {

    /** A {@code placement/<group>} value and its store version (the fencing token). */
    public record Placement(List<String> nodes, long decided, String cause, String reason, long epoch, int version) {
    }

    /** A {@code status/<node>/<group>} value. */
    public record Status(String state, long time, long placement, String message) {
    }

    /** Key prefixes of the RGM's configuration: types, groups, resources (names in lower case). */
    public static final List<String> CONFIGURATION = List.of("rgm/types/", "rgm/groups/", "rgm/resources/");
    /** Key prefix of the placements, one per group, written by the coordinator. */
    public static final String PLACEMENT = "rgm/placement/";
    /** Key prefix of the nodes' reports, {@code rgm/status/<node>/<group>}. */
    public static final String STATUS = "rgm/status/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String root;
    private final CuratorFramework client;
    private final CuratorCache members;
    private final Map<String, Long> left = new ConcurrentHashMap<>();

    /**
     * Connects (waiting up to 30 s) and starts watching the members.
     *
     * @param connect the ensemble's connect string
     * @param root the cluster's root znode, e.g. {@code /vigil}
     */
    public StoreView(String connect, String root) throws InterruptedException {
        this.root = root;
        client = CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(30_000)
                .connectionTimeoutMs(5_000).retryPolicy(new RetryNTimes(20, 250)).build();
        client.start();
        if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
            client.close();
            throw new IllegalStateException("no connection to ZooKeeper " + connect + " within 30 s");
        }
        String nodes = root + "/nodes";
        members = CuratorCache.build(client, nodes);
        members.listenable().addListener(CuratorCacheListener.builder().forDeletes(d -> memberGone(nodes, d)).build());
        members.start();
    }

    private void memberGone(String nodes, ChildData data) {
        if (ZKPaths.getPathAndNode(data.getPath()).getPath().equals(nodes)) {
            left.put(ZKPaths.getNodeFromPath(data.getPath()), System.currentTimeMillis());
        }
    }

    /** @return the names of the registered members, sorted */
    public List<String> members() {
        return children(root + "/nodes");
    }

    /**
     * @param node a member's name
     * @return when (epoch ms, this JVM's clock) its znode was last seen to disappear
     */
    public Optional<Long> leftAt(String node) {
        return Optional.ofNullable(left.get(node));
    }

    /**
     * @param node a member's name
     * @return the id of the ZooKeeper session that holds its registration, while it is registered
     */
    public Optional<Long> session(String node) {
        Stat stat = new Stat();
        return data(root + "/nodes/" + node, stat).map(d -> stat.getEphemeralOwner());
    }

    /**
     * @return the coordinator's name, as its term wrote it into {@code <root>/epoch} (its name, a line feed, and
     *     the creation zxid of its registration)
     */
    public Optional<String> coordinator() {
        return data(root + "/epoch").map(d -> new String(d, StandardCharsets.UTF_8).split("\n", 2)[0])
                .filter(s -> !s.isEmpty());
    }

    /** @return the keys of the store, sorted */
    public List<String> keys() {
        return children(root + "/store").stream().map(k -> k.replace(':', '/')).toList();
    }

    /**
     * @param key a store key, e.g. {@code groups/g1}
     * @return its JSON value, if the key exists
     */
    public Optional<JsonNode> value(String key) {
        return data(keyPath(key)).map(StoreView::parse);
    }

    /**
     * @param group a group's name
     * @return its placement, if the coordinator wrote one
     */
    public Optional<Placement> placement(String group) {
        Stat stat = new Stat();
        return data(keyPath(PLACEMENT + group), stat).map(StoreView::parse).map(j -> {
            List<String> nodes = new ArrayList<>();
            j.path("nodes").forEach(n -> nodes.add(n.asText()));
            return new Placement(List.copyOf(nodes), j.path("decided").asLong(), j.path("cause").asText(),
                    j.path("reason").asText(), j.path("epoch").asLong(), stat.getVersion());
        });
    }

    /**
     * @param node a member's name
     * @param group a group's name
     * @return that node's report on that group, if it wrote one
     */
    public Optional<Status> status(String node, String group) {
        return value(STATUS + node + "/" + group).map(j -> new Status(j.path("state").asText(),
                j.path("time").asLong(), j.path("placement").asLong(), j.path("message").asText()));
    }

    /**
     * @param group a group's name
     * @return the members whose report on the group, written since they joined, is ONLINE, sorted
     */
    public List<String> onlineOn(String group) {
        return children(root + "/store").stream().map(k -> k.replace(':', '/'))
                .filter(k -> k.startsWith(STATUS) && k.endsWith("/" + group)
                        && k.substring(STATUS.length()).split("/").length == 2)
                .map(k -> k.substring(STATUS.length()).split("/")[0])
                .filter(n -> reportedSinceJoining(n, group)) // an earlier session's report is stale
                .filter(n -> status(n, group).map(s -> s.state().equals("ONLINE")).orElse(false))
                .sorted().toList();
    }

    /**
     * Whether a node is a member and wrote its report on a group during its current membership: a
     * node that left, or that has just joined again, keeps its last report in the store until it
     * writes a new one. Told by ZooKeeper's transaction ids, not by clocks.
     */
    private boolean reportedSinceJoining(String node, String group) {
        Stat member = new Stat();
        Stat report = new Stat();
        return data(root + "/nodes/" + node, member).isPresent()
                && data(keyPath(STATUS + node + "/" + group), report).isPresent()
                && report.getMzxid() > member.getCzxid();
    }

    private String keyPath(String key) {
        return root + "/store/" + key.replace('/', ':');
    }

    private List<String> children(String path) {
        try {
            return client.getChildren().forPath(path).stream().sorted().toList();
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list " + path + " in ZooKeeper", e);
        }
    }

    private Optional<byte[]> data(String path) {
        return data(path, new Stat());
    }

    private Optional<byte[]> data(String path, Stat stat) {
        try {
            return Optional.of(client.getData().storingStatIn(stat).forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + path + " in ZooKeeper", e);
        }
    }

    private static JsonNode parse(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + new String(data, StandardCharsets.UTF_8), e);
        }
    }

    @Override
    public void close() {
        members.close();
        client.close();
    }
}
