/**
 * Command lines as operators write them in properties and options ({@code Probe_command},
 * {@code pmfadm -a}, a health check's command), split into a program and its arguments the way a
 * shell splits a simple command, and executed without a shell; and signal names and numbers
 * ({@link io.vigil.api.command.Signals}) and processes as {@code /proc} shows them
 * ({@link io.vigil.api.command.ProcStat}), for running such commands. Bundles that must run on the JDK
 * alone (the standalone health responder) include this package privately.
 */
@Export
@Version("1.0.0")
package io.vigil.api.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
