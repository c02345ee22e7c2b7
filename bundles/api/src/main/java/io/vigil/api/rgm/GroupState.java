package io.vigil.api.rgm;

/** A resource group's state on a node. */
public enum GroupState {
    /** Not managed: its resources' methods are never called, except Fini on unmanage. */
    UNMANAGED,
    /** Managed and offline. */
    OFFLINE,
    /** Its resources are being brought online. */
    PENDING_ONLINE,
    /** Online. */
    ONLINE,
    /** Its resources are being taken offline. */
    PENDING_OFFLINE,
    /** A resource failed to stop; the group stays here until the resource's STOP_FAILED is cleared. */
    ERROR_STOP_FAILED,
    /** Online, but a resource failed to start (Failover_mode NONE) or could not be relocated. */
    ONLINE_FAULTED
}
