/**
 * The built-in probes, each a Declarative Services component offering
 * {@link io.vigil.api.probe.Probe} under its name: {@code tcp}
 * ({@link io.vigil.monitor.probe.TcpProbe}), {@code command}
 * ({@link io.vigil.monitor.probe.CommandProbe}, Linux only: {@code /proc} and util-linux
 * {@code setsid}) and {@code http} ({@link io.vigil.monitor.probe.HttpProbe}). They read what to
 * check from the resource's properties. Internal to the bundle: other bundles find them as services.
 */
package io.vigil.monitor.probe;
