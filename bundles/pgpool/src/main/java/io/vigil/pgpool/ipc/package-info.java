/**
 * Talking to a watchdog's IPC socket: where it is ({@link io.vigil.pgpool.ipc.SocketPaths}), the
 * authentication key ({@link io.vigil.pgpool.ipc.AuthKey}, never logged), and a client that sends
 * one command per connection and refuses what breaks a real watchdog
 * ({@link io.vigil.pgpool.ipc.WatchdogClient}). Internal to the bundle.
 */
package io.vigil.pgpool.ipc;
