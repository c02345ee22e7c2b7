/**
 * The built-in {@code filesys} monitor: {@code diskfull} and {@code badmount} alarms
 * ({@link io.vigil.events.filesys.FilesysCheck}) over a {@link io.vigil.events.filesys.FilesystemView},
 * scheduled by {@link io.vigil.events.filesys.FilesysMonitor}. Internal to the bundle.
 */
package io.vigil.events.filesys;
