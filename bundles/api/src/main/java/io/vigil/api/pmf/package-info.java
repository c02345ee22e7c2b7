/**
 * The process monitor facility (PMF): supervised process trees under tags, restarted when the
 * whole tree has died, within a retry budget, as Sun Cluster's {@code pmfadm} does.
 *
 * <p>Provided by the {@code pmf} bundle (issue #4) as {@link io.vigil.api.pmf.ProcessMonitor}.
 * Tags follow Sun Cluster's convention: {@code <group>,<resource>,<instance>.svc} for a service,
 * {@code <group>,<resource>,<instance>.mon} for its fault monitor.
 */
@Export
@Version("1.0.0")
package io.vigil.api.pmf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
