package io.vigil.api.cluster;

/**
 * What the cluster bundle tells the rest of the agent, as OSGi EventAdmin events posted
 * (asynchronously, in order) when a change is seen. Subscribe with an {@code EventHandler} on
 * {@code vigil/cluster/*} or one of the topics below.
 *
 * <p>Every event carries {@link #NODE} (for {@link #NODE_JOINED} and {@link #NODE_LEFT} the node
 * that joined or left, otherwise the local node) and {@link #TIME} (epoch milliseconds). Values
 * are strings unless said otherwise.
 *
 * <h2>Session loss and self-fencing</h2>
 * With a session timeout {@code T} (as negotiated with the ensemble), the ensemble expires a
 * session when it has heard nothing from it for {@code T}. The local node keeps track of when it
 * sent the last request the ensemble answered ({@code h}; it asks a trivial question every
 * {@code T/6}), so it knows that the ensemble cannot expire its session before {@code h + T}. It
 * posts {@link #SESSION_SUSPENDED} as soon as its connection drops (the ZooKeeper client declares
 * it dropped when it has heard nothing for {@code 2T/3}, or at once when a server closes it), with
 * a {@link #DEADLINE} of {@code h + T} less {@value #LOST_MARGIN_PERCENT}% of {@code T}, and
 * posts {@link #SESSION_LOST} at that deadline unless it reconnected first. So a node cut off from
 * the ensemble considers itself lost at least {@code 0.1 T} (200 ms at {@code T} = 2 s) before
 * the others can see its session expire; when only its server stopped, the deadline is about
 * {@code 0.73 T} or more after the drop, time for the client to reach another server (it waits a
 * random 0 to 1 s before it tries). A node that receives {@link #SESSION_LOST} must stop its
 * resources (self-fencing); the coordinator may start them elsewhere once the session has expired
 * on the ensemble ({@link #NODE_LEFT}), which leaves the lost node that margin plus the time the
 * coordinator takes: a Stop that can take longer needs a fence or a wait on the coordinator's
 * side.
 */
public final class ClusterEvents {

    private ClusterEvents() {
    }

    /** Prefix of every cluster topic. */
    public static final String TOPIC_PREFIX = "vigil/cluster/";

    /**
     * The local node's session is established for the first time (or again after a loss, with a
     * new session): it is {@link NodeState#UP}. {@link #SESSION_TIMEOUT}.
     */
    public static final String SESSION_CONNECTED = "vigil/cluster/session/CONNECTED";

    /**
     * The local node's connection is interrupted: it is {@link NodeState#SUSPENDED}, and not the
     * coordinator while it is (its term goes on if it reconnects with the same session).
     * {@link #DEADLINE}, {@link #SESSION_TIMEOUT}.
     */
    public static final String SESSION_SUSPENDED = "vigil/cluster/session/SUSPENDED";

    /**
     * The local node reconnected with the same session before its deadline: {@link NodeState#UP}
     * again, nothing was lost (a coordinator is one again, in the same term).
     */
    public static final String SESSION_RECONNECTED = "vigil/cluster/session/RECONNECTED";

    /**
     * The local node considers its session lost ({@link NodeState#DOWN}): its deadline passed
     * while it was suspended, or the ensemble told it that the session expired. Stop every
     * resource now. It keeps trying to reconnect, and posts {@link #SESSION_CONNECTED} with a new
     * session when it does.
     */
    public static final String SESSION_LOST = "vigil/cluster/session/LOST";

    /** A node joined the cluster (registered with a new session): {@link #ADDRESSES}. */
    public static final String NODE_JOINED = "vigil/cluster/node/JOINED";

    /** A node left the cluster: its session ended or expired, or it unregistered. */
    public static final String NODE_LEFT = "vigil/cluster/node/LEFT";

    /**
     * The coordinator changed: {@link #COORDINATOR_NODE} (empty when there is none now),
     * {@link #EPOCH} (0 when there is none) and {@link #LOCAL} (whether it is this node).
     */
    public static final String COORDINATOR = "vigil/cluster/coordinator/CHANGED";

    /**
     * A key of the cluster store changed, by this node or another: {@link #KEY}, {@link #CHANGE},
     * {@link #VERSION}. Notifications may coalesce several quick changes of one key into the last
     * one; read the store for the current value.
     */
    public static final String STORE_CHANGED = "vigil/cluster/store/CHANGED";

    /** Property: the node that joined or left; for other events the local node. */
    public static final String NODE = "node";
    /** Property: when the change was seen, epoch milliseconds (a {@code Long}). */
    public static final String TIME = "time";
    /** Property: a node's addresses (a {@code String[]}). */
    public static final String ADDRESSES = "addresses";
    /** Property: the coordinator's node name, empty when there is none. */
    public static final String COORDINATOR_NODE = "coordinator";
    /** Property: the coordinator's epoch (a {@code Long}), 0 when there is none. */
    public static final String EPOCH = "epoch";
    /** Property: whether the coordinator is this node (a {@code Boolean}). */
    public static final String LOCAL = "local";
    /** Property: the store key that changed. */
    public static final String KEY = "key";
    /** Property: {@link #CREATED}, {@link #UPDATED} or {@link #DELETED}. */
    public static final String CHANGE = "change";
    /** Property: the key's version after the change (a {@code Long}), 0 when deleted. */
    public static final String VERSION = "version";
    /**
     * Property: when the local node will consider its session lost unless it reconnects first,
     * epoch milliseconds (a {@code Long}).
     */
    public static final String DEADLINE = "deadline";
    /** Property: the session timeout negotiated with the ensemble, milliseconds (a {@code Long}). */
    public static final String SESSION_TIMEOUT = "sessionTimeout";

    /** Value of {@link #CHANGE}: the key was created. */
    public static final String CREATED = "created";
    /** Value of {@link #CHANGE}: the key's value was replaced. */
    public static final String UPDATED = "updated";
    /** Value of {@link #CHANGE}: the key was deleted. */
    public static final String DELETED = "deleted";

    /**
     * How much earlier than the ensemble could expire its session the local node considers itself
     * lost, in percent of the session timeout: the margin for the timer and the event's delivery.
     */
    public static final int LOST_MARGIN_PERCENT = 10;
}
