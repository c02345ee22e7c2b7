package io.vigil.api.type;

/**
 * A resource's fault-monitor status ({@code Status}), shown with its free-text
 * {@code Status_msg}. Set by methods through {@link MethodContext#setStatus}, by fault monitors,
 * and by {@code scha_resource_setstatus} from script types.
 */
public enum ResourceStatus {
    /** The service is healthy. */
    OK,
    /** The service works but has failed recently (for instance, it was restarted). */
    DEGRADED,
    /** The service does not work. */
    FAULTED,
    /** Nothing is known yet (the initial status of a resource being started). */
    UNKNOWN,
    /** The resource is offline. */
    OFFLINE
}
