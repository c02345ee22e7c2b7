/**
 * Running fault monitors: {@link io.vigil.monitor.engine.ProbeRunner} runs one probe under
 * {@code Probe_timeout} on a worker thread and turns overruns and exceptions into complete
 * failures. Internal to the bundle.
 */
package io.vigil.monitor.engine;
