/**
 * Where resource groups run: the coordinator's placement decisions, as pure functions of the
 * groups' properties, the live nodes, the current placement and recent failures. No I/O and no
 * clock of their own, so every rule is tested without a cluster.
 */
package io.vigil.rgm.placement;
