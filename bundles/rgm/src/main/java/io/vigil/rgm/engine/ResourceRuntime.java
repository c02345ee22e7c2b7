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
    volatile ResourceState state = ResourceState.OFFLINE;
    volatile ResourceStatus status = ResourceStatus.OFFLINE;
    volatile String statusMessage = "";

    ResourceRuntime(StoredConfig.Resource config, long version) {
        this.config = config;
        this.version = version;
    }

    String name() {
        return config.name();
    }

    synchronized void setStatus(ResourceStatus s, String message) {
        status = s;
        statusMessage = message;
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
