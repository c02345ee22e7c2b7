/**
 * Resource recovery from alarms: {@link io.vigil.events.recovery.RecoveryRouter} (local recovery
 * first, then giveover) under the {@link io.vigil.events.recovery.Policies} kept in the cluster
 * store, run by {@link io.vigil.events.recovery.RecoveryQueue} (in parallel across resources, one
 * at a time per resource). Internal to the bundle.
 */
package io.vigil.events.recovery;
