/**
 * The {@code pgpool} probe ({@link io.vigil.pgpool.probe.PgpoolProbe}): asks a pgpool for an
 * answer, which a hung pgpool never gives, while a plain TCP connect still succeeds against it.
 * Internal to the bundle: others find it as a {@link io.vigil.api.probe.Probe} service.
 */
package io.vigil.pgpool.probe;
