package io.vigil.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told to. */
public final class MutableClock extends Clock {

    private Instant now;

    /** A clock at 2024-01-01T00:00:00Z. */
    public MutableClock() {
        this(Instant.parse("2024-01-01T00:00:00Z"));
    }

    /** @param start where the clock starts */
    public MutableClock(Instant start) {
        now = start;
    }

    /** @param d how far to move the clock */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
