package io.vigil.events.dispatch;

/**
 * One handler's part in an alarm, for {@code events list}.
 *
 * @param handler the program's path, {@code eventadmin}, or {@code recovery}
 * @param status {@code ok}, {@code failed} (non-zero exit), {@code timeout}, {@code refused},
 *        {@code error} (could not start), {@code posted} (EventAdmin), or a recovery outcome
 * @param exitCode the exit code, or -1 when there is none
 * @param durationMillis how long it ran
 * @param message the end of its output, or why it was refused
 */
public record HandlerRun(String handler, String status, int exitCode, long durationMillis, String message) {
}
