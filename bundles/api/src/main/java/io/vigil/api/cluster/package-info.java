/**
 * The cluster store: where a cluster's shared configuration (resource types, groups, resources
 * and their properties) lives.
 *
 * <p>A {@link io.vigil.api.cluster.ClusterStore} is a small, versioned key-value store with
 * compare-and-set writes and atomic multi-key commits. The embedded single-node default keeps it
 * in a file under {@code data/} (bundle {@code cluster-local}); the cluster issue (#8) brings one
 * on Apache ZooKeeper. Either way every committed change survives a crash of the agent at any
 * moment, and a commit is applied whole or not at all.
 */
@Export
@Version("1.0.0")
package io.vigil.api.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
