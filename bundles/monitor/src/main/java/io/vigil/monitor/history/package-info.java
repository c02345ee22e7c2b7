/**
 * The failure history of a fault monitor, the arithmetic of the DSDL's {@code scds_fm_action}:
 * {@link io.vigil.monitor.history.FailureHistory} sums probe scores over {@code Retry_interval},
 * counts restarts against {@code Retry_count}, applies {@code Failover_mode}, and answers each
 * result with a {@link io.vigil.monitor.history.Decision}; it also keeps the last probe records
 * for the operator. Plain Java with an injected clock; no OSGi here. Internal to the bundle.
 */
package io.vigil.monitor.history;
