/**
 * Dispatching alarms: {@link io.vigil.events.dispatch.Dispatcher} (bounded queue, worker pool,
 * overflow to the spool), the handler programs of {@link io.vigil.events.dispatch.HandlerDirectory},
 * checked by {@link io.vigil.events.dispatch.ProgramCheck} and run in their own session under a
 * timeout by {@link io.vigil.events.dispatch.ProgramRunner}. Internal to the bundle.
 */
package io.vigil.events.dispatch;
