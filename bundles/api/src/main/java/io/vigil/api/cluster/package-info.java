/**
 * The cluster store: where a cluster's shared configuration (resource types, groups, resources
 * and their properties) lives.
 *
 * <p>A {@link io.vigil.api.cluster.ClusterStore} is a small, versioned key-value store with
 * compare-and-set writes and atomic multi-key commits. The embedded single-node default keeps it
 * in a file under {@code data/} (bundle {@code cluster-local}); {@code cluster-zk} keeps it in
 * Apache ZooKeeper. Either way every committed change survives a crash of the agent at any
 * moment, and a commit is applied whole or not at all.
 *
 * <p>Beside the store, a {@link io.vigil.api.cluster.ClusterMembership} tells who is in the
 * cluster, how this node stands and which node coordinates it, with a fencing epoch per
 * coordinator term; {@link io.vigil.api.cluster.ClusterEvents} lists the EventAdmin topics on
 * which store changes, membership changes and this node's session state are posted.
 */
@Export
@Version("1.1.0")
package io.vigil.api.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
