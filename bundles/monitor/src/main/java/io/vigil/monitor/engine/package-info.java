/**
 * Running fault monitors: {@link io.vigil.monitor.engine.ProbeRunner} runs one probe under
 * {@code Probe_timeout} on a worker thread and turns overruns and exceptions into complete
 * failures; {@link io.vigil.monitor.engine.FaultMonitorService} provides
 * {@link io.vigil.api.probe.FaultMonitors}: it schedules each monitored resource's probe, listens to
 * the PMF for deaths of its service trees, and acts on the failure history's decisions (restart,
 * refused giveover, FAULTED) through the RGM. Internal to the bundle.
 */
package io.vigil.monitor.engine;
