/**
 * Status sources, each keeping its latest finding in memory: a command run every {@code svSleep}
 * under a timeout, a resource group or resource kept current from the RGM's events, a group on any
 * node from its cluster-wide location, this node's membership of the cluster, or the agent itself.
 * In the agent, every source but a command line and {@code *cluster} is {@link
 * io.vigil.healthcheck.status.Fenced}: DOWN while this node is cut off from the cluster. Internal
 * to the bundle.
 */
package io.vigil.healthcheck.status;
