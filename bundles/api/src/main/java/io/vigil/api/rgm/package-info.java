/**
 * The resource group manager's administrative view: resource groups, resources, their states,
 * and the operations an operator (or {@code clrg}/{@code clrs}) performs on them.
 *
 * <p>Provided by the RGM bundle as the {@link io.vigil.api.rgm.ResourceGroupManager} service.
 * States follow Sun Cluster's: a resource is ONLINE, OFFLINE, STARTING, STOPPING, START_FAILED,
 * STOP_FAILED, MONITOR_FAILED or ONLINE_NOT_MONITORED; a group UNMANAGED, OFFLINE,
 * PENDING_ONLINE, ONLINE, PENDING_OFFLINE, ERROR_STOP_FAILED or ONLINE_FAULTED.
 */
@Export
@Version("1.3.0")
package io.vigil.api.rgm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
