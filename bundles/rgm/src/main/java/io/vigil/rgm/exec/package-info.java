/**
 * The process side of calling a script type's method program: {@link io.vigil.rgm.exec.ProgramCheck}
 * refuses programs others could have tampered with, {@link io.vigil.rgm.exec.MethodCommand} builds
 * the Sun Cluster argument vector ({@code -R -T -G}, Validate's {@code -c|-u -r -x -g}) and a
 * minimal environment, and {@link io.vigil.rgm.exec.ProcessRunner} runs the program in its own
 * session with a timeout, kills its whole tree when it overruns, and reports a
 * {@link io.vigil.rgm.exec.MethodOutcome}. Plain Java, Linux only ({@code /proc}, util-linux
 * {@code setsid}); no OSGi here. Internal to the bundle.
 */
package io.vigil.rgm.exec;
