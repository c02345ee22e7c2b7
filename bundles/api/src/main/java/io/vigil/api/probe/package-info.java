/**
 * Probes: the health checks a fault monitor runs for a resource.
 *
 * <p>A probe is a service ({@link io.vigil.api.probe.Probe}) with a name ({@value
 * io.vigil.api.probe.Probe#NAME}); resource types choose a probe by that name. Each run yields a
 * failure score ({@link io.vigil.api.probe.ProbeResult}): 0 healthy, 1..99 a partial failure, 100
 * a complete failure, 201 "fail over now". The fault monitor (issue #4) adds the scores into a
 * failure history over {@code Retry_interval}; a sum of 100 restarts the resource, and too many
 * restarts give its group over to another node.
 */
@Export
@Version("1.2.0")
package io.vigil.api.probe;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
