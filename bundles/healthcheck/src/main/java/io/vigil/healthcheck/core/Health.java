package io.vigil.healthcheck.core;

import java.util.Objects;

/**
 * What a status source last found: up or down, and why.
 *
 * @param up whether the checked service is healthy
 * @param reason a short explanation for the operator and for {@code down #reason}; never null
 */
public record Health(boolean up, String reason) {

    /** Checks for null. */
    public Health {
        Objects.requireNonNull(reason, "reason");
    }

    /** @param reason why @return an UP health */
    public static Health up(String reason) {
        return new Health(true, reason);
    }

    /** @param reason why @return a DOWN health */
    public static Health down(String reason) {
        return new Health(false, reason);
    }

    @Override
    public String toString() {
        return (up ? "UP" : "DOWN") + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
