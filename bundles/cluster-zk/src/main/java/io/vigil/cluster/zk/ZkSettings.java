package io.vigil.cluster.zk;

import io.vigil.api.cluster.StoreKeys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.zookeeper.common.PathUtils;

/**
 * What a {@link ZkCluster} needs, checked: the ensemble, the session timeout, this node's name and addresses and
 * the root of Vigil's znodes.
 *
 * @param connect the ensemble, {@code host:port[,host:port...]}
 * @param sessionTimeoutMs the session timeout asked of the ensemble, milliseconds
 * @param nodeName this node's name
 * @param addresses the addresses this node announces
 * @param root the root znode path, e.g. {@code /vigil}
 */
record ZkSettings(String connect, int sessionTimeoutMs, String nodeName, List<String> addresses, String root) {

    /** The smallest session timeout accepted: ZooKeeper's own minimum is two ticks of the ensemble. */
    static final int MIN_SESSION_TIMEOUT_MS = 500;

    ZkSettings {
        Objects.requireNonNull(connect, "connect");
        addresses = List.copyOf(addresses);
    }

    /**
     * @param config the component's configuration
     * @return the checked settings
     * @throws IllegalArgumentException naming the first setting that is wrong and what was expected
     */
    static ZkSettings of(ZkClusterComponent.Config config) {
        String connect = config.connect().strip();
        if (connect.isEmpty()) {
            throw invalid("connect", connect, "the ZooKeeper ensemble as host:port[,host:port...], e.g. "
                    + "zk1:2181,zk2:2181,zk3:2181");
        }
        for (String server : connect.split(",")) {
            int colon = server.lastIndexOf(':');
            if (colon <= 0 || !server.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw invalid("connect", connect, "host:port[,host:port...], e.g. zk1:2181,zk2:2181,zk3:2181 ("
                        + server.strip() + " has no port)");
            }
        }
        int timeout = config.session_timeout_ms();
        if (timeout < MIN_SESSION_TIMEOUT_MS) {
            throw invalid("session.timeout.ms", Integer.toString(timeout), "at least " + MIN_SESSION_TIMEOUT_MS
                    + " milliseconds");
        }
        String name = config.node_name().strip();
        if (name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("this host's name is unknown (" + e.getMessage()
                        + "); set node.name in configuration " + ZkClusterComponent.PID, e);
            }
        }
        String problem = StoreKeys.segmentProblem(name);
        if (problem != null) {
            throw invalid("node.name", name, StoreKeys.SEGMENT_SYNTAX + ", e.g. node-1 (it " + problem + ")");
        }
        // A .cfg file gives one string: "a, b" is split here as an array's elements would be.
        List<String> addresses = Arrays.stream(config.node_addresses()).flatMap(a -> Arrays.stream(a.split(",")))
                .map(String::strip).filter(a -> !a.isEmpty()).toList();
        String root = config.root().strip();
        try {
            PathUtils.validatePath(root);
        } catch (IllegalArgumentException e) {
            throw invalid("root", root, "an absolute znode path such as /vigil (" + e.getMessage() + ")");
        }
        if (root.equals("/")) {
            throw invalid("root", root, "a znode path below /, such as /vigil");
        }
        return new ZkSettings(connect, timeout, name, addresses, root);
    }

    private static IllegalArgumentException invalid(String setting, String value, String expected) {
        return new IllegalArgumentException(setting + " \"" + value + "\" in configuration " + ZkClusterComponent.PID
                + " is not valid; expected " + expected);
    }

    /** @return the znode whose data version is the store's revision, and whose children are the keys */
    String store() {
        return root + "/store";
    }

    /** @return the parent of the members' ephemeral znodes */
    String nodes() {
        return root + "/nodes";
    }

    /** @return the leader latch's znode */
    String election() {
        return root + "/election";
    }

    /** @return the znode whose data version is the coordinator epoch */
    String epoch() {
        return root + "/epoch";
    }

    /**
     * @param key a valid store key
     * @return its znode: one child of {@link #store()}, each {@code /} of the key written {@code :}
     */
    String keyPath(String key) {
        return store() + "/" + key.replace('/', ':');
    }

    /**
     * @param child the name of a child of {@link #store()}
     * @return the key it holds
     */
    static String keyOf(String child) {
        return child.replace(':', '/');
    }
}
