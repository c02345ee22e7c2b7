package io.vigil.api.rgm;

/** A resource's state on a node, set by the RGM from the outcomes of its methods only. */
public enum ResourceState {
    /** Started and, if the type has a monitor, monitored. */
    ONLINE,
    /** Stopped. */
    OFFLINE,
    /** Prenet_start or Start is running. */
    STARTING,
    /** Monitor_stop, Stop or Postnet_stop is running. */
    STOPPING,
    /** Start or Prenet_start failed or timed out; does not block further actions. */
    START_FAILED,
    /** Stop, Postnet_stop or Monitor_stop failed or timed out; blocks until cleared. */
    STOP_FAILED,
    /** Monitor_start failed: the service runs unmonitored after a monitor failure. */
    MONITOR_FAILED,
    /** Started with its monitor off (unmonitored, or the type has no monitor methods). */
    ONLINE_NOT_MONITORED
}
