/**
 * The Gogo commands {@code sendevent} and {@code events} ({@link io.vigil.events.shell.EventsCommands}).
 * Internal to the bundle.
 */
package io.vigil.events.shell;
