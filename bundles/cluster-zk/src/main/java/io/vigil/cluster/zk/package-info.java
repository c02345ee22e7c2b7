/**
 * The cluster on Apache ZooKeeper, through Curator. {@link io.vigil.cluster.zk.ZkClusterComponent}
 * reads configuration {@code io.vigil.cluster} and, in zookeeper mode, runs a
 * {@link io.vigil.cluster.zk.ZkCluster}: one Curator client whose session is this node's
 * membership, a {@link io.vigil.cluster.zk.ZkClusterStore} (the shared configuration, one znode per
 * key, every commit one ZooKeeper multi-operation), and a {@link io.vigil.cluster.zk.ZkMembership}
 * (ephemeral registration, coordinator election with a fencing epoch, session-state events).
 * Internal to the bundle.
 *
 * <p>Layout under the root ({@code /vigil} by default):
 * <pre>
 * store            data: the last committer's name; its data version is the store's revision
 * store/groups:web-rg   one key (its '/' written ':'), data: the value; key version = znode version + 1
 * nodes/node-1     ephemeral, data: {"addresses":[...]}
 * election/...     Curator LeaderLatch participants
 * epoch            data: the coordinator's name; its data version is the coordinator epoch
 * </pre>
 */
package io.vigil.cluster.zk;
