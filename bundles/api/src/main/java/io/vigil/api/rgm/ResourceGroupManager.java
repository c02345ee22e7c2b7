package io.vigil.api.rgm;

import io.vigil.api.type.ResourceStatus;
import io.vigil.api.type.ResourceTypeInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resource groups and resources: what {@code clrg} and {@code clrs} administer. Provided by the
 * RGM bundle as a service.
 *
 * <p>Operations that run methods (online, offline, restart, enable, disable, property changes on
 * an online resource) return once the group has settled: every method they caused has ended.
 * Methods of one group never run concurrently; different groups progress in parallel. A refused
 * operation throws {@link RgmException} and changes nothing. Every accepted change is stored in
 * the cluster store before the call returns.
 *
 * <p>Property maps take names in any case and values as an operator writes them
 * ({@code -p Retry_count=3}, {@code -x Confdir_list=/etc/a,/etc/b}).
 */
@org.osgi.annotation.versioning.ProviderType
public interface ResourceGroupManager {

    /** @return every group, ordered by name */
    List<GroupInfo> groups();

    /**
     * @param name a group's name
     * @return the group, or empty
     */
    Optional<GroupInfo> group(String name);

    /**
     * Creates a managed, offline group.
     *
     * @param name a new group's name: letters, digits, {@code _}, {@code -}, {@code .}
     * @param properties group properties to set; the rest take their defaults
     * @return the group
     * @throws RgmException if the name is taken or invalid, or a property is invalid
     */
    GroupInfo createGroup(String name, Map<String, String> properties) throws RgmException;

    /**
     * Deletes a group.
     *
     * @param name the group
     * @param force also delete its resources (taking the group offline and unmanaging it first)
     * @throws RgmException if it has resources and {@code force} is false, or is not offline
     */
    void deleteGroup(String name, boolean force) throws RgmException;

    /** @param name the group @throws RgmException if unknown. Runs Init on its resources. */
    void manage(String name) throws RgmException;

    /** @param name the group @throws RgmException if unknown or online. Runs Fini on its resources. */
    void unmanage(String name) throws RgmException;

    /**
     * Brings a group online on this node (managing it first if needed), in dependency order.
     *
     * @param name the group
     * @return the group once settled
     * @throws RgmException if unknown, or blocked (a resource in STOP_FAILED)
     */
    GroupInfo online(String name) throws RgmException;

    /**
     * Takes a group offline, in reverse dependency order.
     *
     * @param name the group
     * @return the group once settled
     * @throws RgmException if unknown
     */
    GroupInfo offline(String name) throws RgmException;

    /**
     * Takes an online group offline and back online.
     *
     * @param name the group
     * @return the group once settled
     * @throws RgmException if unknown or not online
     */
    GroupInfo restart(String name) throws RgmException;

    /**
     * Changes group properties, after validating them all.
     *
     * @param name the group
     * @param changes the properties to change
     * @return the group
     * @throws RgmException if a property is unknown, invalid or not tunable now
     */
    GroupInfo setGroup(String name, Map<String, String> changes) throws RgmException;

    /** @return every resource, ordered by group, then creation */
    List<ResourceInfo> resources();

    /**
     * @param name a resource's name
     * @return the resource, or empty
     */
    Optional<ResourceInfo> resource(String name);

    /**
     * Creates a resource: validates the properties against the type's schema, runs Validate
     * ({@code -c}) and, if the group is managed, Init; enabled unless {@code disabled}; started if
     * its group is online and it is enabled.
     *
     * @param name a new resource's name
     * @param group its group
     * @param type its type's full name
     * @param properties standard and extension properties to set
     * @param disabled create it disabled ({@code clrs create -d})
     * @return the resource
     * @throws RgmException if the name is taken, the group or type unknown, a property invalid,
     *         or Validate vetoes it
     */
    ResourceInfo createResource(String name, String group, String type, Map<String, String> properties,
            boolean disabled) throws RgmException;

    /**
     * Deletes a resource; it must be disabled (or {@code force}: disabled first).
     *
     * @param name the resource
     * @param force disable it first
     * @throws RgmException if unknown, enabled without force, or others depend on it
     */
    void deleteResource(String name, boolean force) throws RgmException;

    /** @param name the resource @return it once settled @throws RgmException if unknown */
    ResourceInfo enable(String name) throws RgmException;

    /** @param name the resource @return it once settled @throws RgmException if unknown */
    ResourceInfo disable(String name) throws RgmException;

    /** @param name the resource @return it once settled @throws RgmException if unknown */
    ResourceInfo monitor(String name) throws RgmException;

    /** @param name the resource @return it once settled @throws RgmException if unknown */
    ResourceInfo unmonitor(String name) throws RgmException;

    /**
     * Changes resource properties: validates them against the schema and TUNABLE, runs Validate
     * ({@code -u}) (a failure vetoes the change), stores them, then runs Update if the resource is
     * online.
     *
     * @param name the resource
     * @param changes the properties to change
     * @return the resource
     * @throws RgmException if refused; nothing was stored
     */
    ResourceInfo setResource(String name, Map<String, String> changes) throws RgmException;

    /**
     * Clears an error flag ({@code clrs clear -f STOP_FAILED}): the operator has stopped the
     * service by hand; the resource becomes OFFLINE.
     *
     * @param name the resource
     * @param flag the flag; only {@code STOP_FAILED}
     * @return the resource
     * @throws RgmException if unknown, or the flag is not one the RGM knows
     */
    ResourceInfo clear(String name, String flag) throws RgmException;

    /**
     * Restarts an online resource on this node: Monitor_stop, Stop, Start, Monitor_start
     * ({@code scha_control -O RESOURCE_RESTART}).
     *
     * @param name the resource
     * @return the resource once settled
     * @throws RgmException if unknown or not online
     */
    ResourceInfo restartResource(String name) throws RgmException;

    /**
     * Gives a group over to another node ({@code scha_control -O GIVEOVER}): Monitor_check runs on
     * each candidate of its Nodelist in order and the first that passes takes the group. On a cluster
     * of one there is no candidate: the giveover is refused, the group stays where it is and its
     * message (and the resource's Status FAULTED, when the request came from a resource's monitor)
     * says so. Either way a {@link RgmEvents#GROUP_GIVEOVER} event is posted.
     *
     * @param group the group
     * @param reason why, for the log and the operator
     * @return the group once settled
     * @throws RgmException if unknown, not online, or the giveover was refused (the message says why)
     */
    GroupInfo giveover(String group, String reason) throws RgmException;

    /**
     * Moves a group to a node ({@code clrg switch -n node group}): the coordinator places it there,
     * the node where it runs takes it offline, then the new node brings it online. Refused, changing
     * nothing, when the node is not a live member, not in the group's Nodelist, or the group is not
     * wanted online (bring it online first).
     *
     * @param group the group
     * @param node the node to move it to
     * @return the group's location once the new node reports it settled (online, or failed)
     * @throws RgmException if refused or if the move did not settle within the group's methods' time
     * @since 1.2
     */
    GroupLocation switchover(String group, String node) throws RgmException;

    /**
     * Moves every group placed on a node to its other candidates ({@code clrg evacuate -n node}),
     * each offline there before online elsewhere; a group with no other candidate goes offline.
     * The node stays a member: groups come back only by Failback or an operator's switch.
     *
     * @param node the node to empty
     * @return the moved groups' locations once settled
     * @throws RgmException if the node is not a member, or a move failed (the message names it)
     * @since 1.2
     */
    List<GroupLocation> evacuate(String node) throws RgmException;

    /**
     * Records an outside observer's word on a node's liveness (a watchdog's NODE STATUS CHANGE, a
     * monitoring system, an operator's {@code cluster report}). A node reported dead is handled as
     * a failed node although it is still a member: the coordinator moves every group placed on it
     * to its other eligible nodes (each offline there before online elsewhere, as a switch) and
     * chooses it for no group; a group that no other node can take stays where it runs, and its
     * placement's reason says so, so that a wrong report never takes a service down. This holds
     * until the node is reported alive, or until it leaves the cluster (a node that rejoins starts
     * with a clean record). Reporting what is already recorded changes nothing.
     *
     * @param node a cluster member
     * @param alive true to withdraw a dead report, false to report the node dead
     * @param reason what the reporter said, for the log and {@link #nodeReports()}
     * @throws RgmException if the node is not a cluster member, or the report could not be stored
     * @since 1.3
     */
    void reportNode(String node, boolean alive, String reason) throws RgmException;

    /**
     * @return the nodes reported dead now ({@link #reportNode}), ordered by node name; reports about
     *         nodes that have left since are not listed
     * @since 1.3
     */
    List<NodeReport> nodeReports();

    /**
     * @return where every group runs in the cluster, ordered by group name
     * @since 1.2
     */
    List<GroupLocation> locations();

    /**
     * @param group a group
     * @return where it runs in the cluster, or empty when it does not exist
     * @since 1.2
     */
    Optional<GroupLocation> location(String group);

    /**
     * Sets a resource's Status and Status_msg ({@code scha_resource_setstatus}).
     *
     * @param name the resource
     * @param status the status
     * @param message the message; may be empty
     * @throws RgmException if unknown
     */
    void setStatus(String name, ResourceStatus status, String message) throws RgmException;

    /**
     * Registers a script type from its RTR file ({@code clrt register}) and stores the
     * registration, so it survives an agent restart.
     *
     * @param rtrFile path of the RTR file
     * @return the registered type
     * @throws RgmException if the file is unreadable or invalid (the message names file, line and
     *         column), or a type of that name is already registered
     */
    ResourceTypeInfo registerType(String rtrFile) throws RgmException;

    /**
     * Unregisters a script type ({@code clrt unregister}).
     *
     * @param name the type's name
     * @throws RgmException if unknown, a Java type (remove its bundle instead), or resources of
     *         the type exist
     */
    void unregisterType(String name) throws RgmException;
}
