package io.vigil.api.type;

import java.util.Locale;
import java.util.Optional;

/**
 * The twelve callback methods of a resource type, as named in an RTR file.
 *
 * <p>Each method has its own timeout property ({@link #timeoutProperty()}), 3600 seconds unless the
 * RTR file says otherwise. Only the methods an RTR file declares are ever called. A type must
 * declare a start method ({@link #START} or {@link #PRENET_START}) and a stop method
 * ({@link #STOP} or {@link #POSTNET_STOP}); all others are optional.
 *
 * <p>Order of calls (implemented by the RGM from issue #3 on): bringing a resource online runs
 * {@code PRENET_START}, then {@code START}, then {@code MONITOR_START}; taking it offline runs
 * {@code MONITOR_STOP}, then {@code STOP}, then {@code POSTNET_STOP}. {@code INIT} runs when a
 * resource becomes managed, {@code FINI} when it stops being managed, {@code BOOT} for managed
 * resources when the agent starts, {@code VALIDATE} before a resource is created or its
 * properties change (a failure vetoes the change), {@code UPDATE} after a change while the
 * resource is online, and {@code MONITOR_CHECK} on a node that is a candidate to take the
 * resource's group over.
 */
public enum Method {
    /** Starts the service; must not return success until the service answers. */
    START("Start"),
    /** Stops the service; must not return success until the service is down. */
    STOP("Stop"),
    /** Checks proposed property values; a failure vetoes creation or change. */
    VALIDATE("Validate"),
    /** Applies changed properties to an online resource. */
    UPDATE("Update"),
    /** Runs once when the resource becomes managed. */
    INIT("Init"),
    /** Runs once when the resource stops being managed; must be idempotent. */
    FINI("Fini"),
    /** Runs for managed resources when the agent (re)joins the cluster; must be idempotent. */
    BOOT("Boot"),
    /** Runs before the group's network resources are brought up. */
    PRENET_START("Prenet_start"),
    /** Runs after the group's network resources are brought down. */
    POSTNET_STOP("Postnet_stop"),
    /** Starts the resource's fault monitor. */
    MONITOR_START("Monitor_start"),
    /** Stops the resource's fault monitor. */
    MONITOR_STOP("Monitor_stop"),
    /** Checks whether this node could host the resource (before a giveover lands here). */
    MONITOR_CHECK("Monitor_check");

    /** Timeout of a declared method when its RTR file gives none: one hour, in seconds. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 3600;

    private final String rtrName;

    Method(String rtrName) {
        this.rtrName = rtrName;
    }

    /**
     * The method's name as an RTR file and Sun Cluster documentation spell it, e.g.
     * {@code Monitor_start}. RTR keywords are case-insensitive; this is the canonical spelling.
     *
     * @return the canonical RTR name
     */
    public String rtrName() {
        return rtrName;
    }

    /**
     * The standard property that holds this method's timeout in seconds, e.g.
     * {@code Monitor_start_timeout}.
     *
     * @return the name of the timeout property
     */
    public String timeoutProperty() {
        return rtrName + "_timeout";
    }

    /**
     * Finds a method by its RTR name, ignoring case.
     *
     * @param name a name such as {@code START} or {@code Monitor_check}
     * @return the method, or empty when the name is not one of the twelve
     */
    public static Optional<Method> fromRtrName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Method m : values()) {
            if (m.rtrName.toLowerCase(Locale.ROOT).equals(wanted)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
