/**
 * A watchdog-compatible IPC server: pgpool's tools ({@code wd_cli}, {@code pcp_watchdog_info}) and
 * clients written from the manual talk to Vigil as to a watchdog.
 * {@link io.vigil.pgpool.server.RequestHandler} answers one packet as a real watchdog would (or as
 * the manual promises where the real one breaks); {@link io.vigil.pgpool.server.WatchdogServer}
 * serves the owner-only socket, checks peer credentials and survives hostile input;
 * {@link io.vigil.pgpool.server.VigilNodes} shows the cluster's membership as watchdog nodes;
 * {@link io.vigil.pgpool.server.WatchdogServerComponent} wires them together and follows the
 * cluster's events. Internal.
 */
package io.vigil.pgpool.server;
