package io.vigil.monitor.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One probe result as kept for the operator ({@code clrs status -v}).
 *
 * @param time when the result was recorded (the end of the probe)
 * @param duration how long the probe ran; zero for a process death reported by the PMF
 * @param score its failure score: 0..100, or 201
 * @param message what the probe found
 */
public record ProbeRecord(Instant time, Duration duration, int score, String message) {

    /** Checks that no part is null. */
    public ProbeRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(message, "message");
    }
}
