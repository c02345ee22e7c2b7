/**
 * SUNW.xfnts, the sample resource type of Sun Cluster's Data Services Developer's Guide: the X
 * font server (xfs) as a failover service. {@link io.vigil.types.xfnts.XfntsType} is the type (its
 * RTR file is {@code OSGI-INF/vigil/SUNW.xfnts.rtr}), {@link io.vigil.types.xfnts.XfntsProbe} its
 * probe, composed of the built-in {@code tcp} and {@code command} probes. Dropped into
 * {@code deploy/}, the bundle registers the type; removed, it takes the type away. Internal: the
 * bundle exports nothing.
 */
package io.vigil.types.xfnts;
