/**
 * The Pgpool-II watchdog IPC wire format: packets of one type byte, a 4-byte big-endian length
 * and JSON data ({@link io.vigil.pgpool.codec.WdCodec}), the two dialects of result bytes
 * ({@link io.vigil.pgpool.codec.Dialect}: what a real watchdog speaks, and the manual's table), and
 * the JSON payloads (nodes list, status change, runtime variables), read with case-insensitive
 * keys and written in the real watchdog's spelling and order. Internal to the bundle.
 */
package io.vigil.pgpool.codec;
