package io.vigil.rgm.engine;

import io.vigil.api.rgm.ResourceState;
import io.vigil.api.type.ResourceStatus;

/**
 * A resource's state on this node. State changes happen on its group's executor; the status may
 * also be set by a running method or by scha_resource_setstatus, hence volatile fields.
 */
final class ResourceRuntime {

    volatile StoredConfig.Resource config;
    volatile long version;
    /** Written only through {@link #moveTo}. */
    volatile ResourceState state = ResourceState.OFFLINE;
    volatile ResourceStatus status = ResourceStatus.OFFLINE;
    volatile String statusMessage = "";

    private final Notifier notifier;

    ResourceRuntime(StoredConfig.Resource config, long version, Notifier notifier) {
        this.config = config;
        this.version = version;
        this.notifier = notifier;
    }

    /** Changes its state, and tells when that is a change. Called on its group's executor. */
    void moveTo(ResourceState next) {
        ResourceState previous = state;
        state = next;
        if (previous != next) {
            notifier.resourceState(this, previous);
        }
    }

    String name() {
        return config.name();
    }

    void setStatus(ResourceStatus s, String message) {
        ResourceStatus previous;
        synchronized (this) {
            previous = status;
            if (previous == s && statusMessage.equals(message)) {
                return;
            }
            status = s;
            statusMessage = message;
        }
        notifier.resourceStatus(this, previous, message);
    }

    /** @return whether its service is (or may be) running: a stop is due before it is offline */
    boolean isUp() {
        switch (state) {
            case ONLINE:
            case ONLINE_NOT_MONITORED:
            case MONITOR_FAILED:
            case START_FAILED:
            case STARTING:
                return true;
            default:
                return false;
        }
    }

    /** @return whether it counts as online for its dependents */
    boolean isOnline() {
        return state == ResourceState.ONLINE || state == ResourceState.ONLINE_NOT_MONITORED
                || state == ResourceState.MONITOR_FAILED;
    }
}
