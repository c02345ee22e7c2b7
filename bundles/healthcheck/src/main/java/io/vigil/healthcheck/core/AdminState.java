package io.vigil.healthcheck.core;

/**
 * What an operator asked of a responder with {@code hc drain|maint|ready}, independent of the
 * service's health: a manual {@link #READY} never turns a DOWN health into UP.
 */
public enum AdminState {
    /** In service (the default). */
    READY,
    /** Take no new sessions; HAProxy's {@code drain}. */
    DRAIN,
    /** Out of service for maintenance; HAProxy's {@code maint}. */
    MAINT;

    /** @return the word HAProxy's agent-check understands */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
