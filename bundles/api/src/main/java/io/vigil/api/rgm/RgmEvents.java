package io.vigil.api.rgm;

/**
 * What the RGM tells the rest of the agent, as OSGi EventAdmin events posted (asynchronously, in
 * order) the moment a change happens. Subscribe with an {@code EventHandler} on
 * {@code vigil/rgm/*} or one of the topics below; nothing needs polling.
 *
 * <p>Every event carries {@link #TIME} (epoch milliseconds) and, except {@link #NODE_REPORT},
 * {@link #GROUP}; resource events also {@link #RESOURCE} and {@link #TYPE}. Values are strings unless said otherwise.
 */
public final class RgmEvents {

    private RgmEvents() {
    }

    /** Prefix of every RGM topic. */
    public static final String TOPIC_PREFIX = "vigil/rgm/";

    /** A group's state changed: {@link #STATE}, {@link #PREVIOUS}, {@link #MESSAGE}. */
    public static final String GROUP_STATE = "vigil/rgm/group/STATE";

    /**
     * A giveover of a group was requested: {@link #REASON}, {@link #OUTCOME} ({@code relocated} or
     * {@code refused}) and {@link #MESSAGE}.
     */
    public static final String GROUP_GIVEOVER = "vigil/rgm/group/GIVEOVER";

    /**
     * Where a group runs in the cluster may have changed: another node reported its state, or the
     * coordinator placed it anew. Posted once this node's view ({@link ResourceGroupManager#location})
     * shows the change; only {@link #GROUP}.
     *
     * @since 1.2
     */
    public static final String GROUP_LOCATION = "vigil/rgm/group/LOCATION";

    /**
     * The dead reports about a node changed ({@link ResourceGroupManager#reportNode}, on whichever
     * node it was made): {@link #NODE} only; read {@link ResourceGroupManager#nodeReports()}.
     *
     * @since 1.3
     */
    public static final String NODE_REPORT = "vigil/rgm/node/REPORT";

    /** A resource's state changed: {@link #STATE}, {@link #PREVIOUS}. */
    public static final String RESOURCE_STATE = "vigil/rgm/resource/STATE";

    /** A resource's Status changed: {@link #STATUS}, {@link #PREVIOUS}, {@link #MESSAGE}. */
    public static final String RESOURCE_STATUS = "vigil/rgm/resource/STATUS";

    /**
     * A resource was restarted on this node (Monitor_stop, Stop, Start, Monitor_start):
     * {@link #OUTCOME} ({@code ok} or {@code failed}), {@link #REASON}.
     */
    public static final String RESOURCE_RESTART = "vigil/rgm/resource/RESTART";

    /**
     * A method failed (non-zero exit, timeout, crash): {@link #METHOD}, {@link #MESSAGE}.
     */
    public static final String METHOD_FAILED = "vigil/rgm/resource/METHOD_FAILED";

    /** Property: the group's name. */
    public static final String GROUP = "group";
    /**
     * Property: a node's name.
     *
     * @since 1.3
     */
    public static final String NODE = "node";
    /** Property: the resource's name. */
    public static final String RESOURCE = "resource";
    /** Property: the resource's type. */
    public static final String TYPE = "type";
    /** Property: the new state ({@link GroupState} or {@link ResourceState} name). */
    public static final String STATE = "state";
    /** Property: the new Status ({@code io.vigil.api.type.ResourceStatus} name). */
    public static final String STATUS = "status";
    /** Property: the state or status before the change. */
    public static final String PREVIOUS = "previous";
    /** Property: a message for the operator; may be empty. */
    public static final String MESSAGE = "message";
    /** Property: why an action was taken. */
    public static final String REASON = "reason";
    /** Property: how an action ended. */
    public static final String OUTCOME = "outcome";
    /** Property: the method's name, e.g. {@code START}. */
    public static final String METHOD = "method";
    /** Property: when it happened, epoch milliseconds (a {@code Long}). */
    public static final String TIME = "time";
}
