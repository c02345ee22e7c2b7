/**
 * Vigil as the external lifecheck of a Pgpool-II watchdog ({@code wd_lifecheck_method = 'external'}):
 * {@link io.vigil.pgpool.lifecheck.WatchdogBridge} polls GET NODES LIST, probes every remote node
 * through a probe of the monitor framework, keeps a failure history per node
 * ({@link io.vigil.pgpool.lifecheck.LivenessHistory}) and sends NODE STATUS CHANGE only when its
 * verdict changes ({@link io.vigil.pgpool.lifecheck.ExternalLifecheck}); alarms of class
 * {@code pgpool} tell the operator. Internal to the bundle.
 */
package io.vigil.pgpool.lifecheck;
