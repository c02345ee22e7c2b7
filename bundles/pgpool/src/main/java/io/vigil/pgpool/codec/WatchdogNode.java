package io.vigil.pgpool.codec;

import java.util.Optional;

/**
 * One element of {@code WatchdogNodes} in a GET NODES LIST reply.
 *
 * @param id the pgpool node id
 * @param state the watchdog state ({@link WdState})
 * @param membership 0 MEMBER, 1 REVOKED-SHUTDOWN, 2 REVOKED-NO-SHOW, 3 REVOKED-LOST
 * @param membershipString the membership's name
 * @param nodeName {@code "<host>:<port> <os> <uname -n>"}, or {@code Not_Set} until seen
 * @param hostName the configured host name
 * @param stateName the state's name
 * @param delegateIp the virtual IP, {@code Not_Set} when none
 * @param wdPort the node's watchdog port
 * @param pgpoolPort the node's pgpool port
 * @param priority its priority in elections
 * @param lifecheckStarted {@code LifecheckStarted}, only in replies of watchdogs built from
 *        master; empty when absent
 */
public record WatchdogNode(int id, int state, int membership, String membershipString, String nodeName,
        String hostName, String stateName, String delegateIp, int wdPort, int pgpoolPort, int priority,
        Optional<Integer> lifecheckStarted) {

    static WatchdogNode read(JsonFields f) {
        int state = f.requireInt("State");
        return new WatchdogNode(f.requireInt("ID"), state, f.intOr("Membership", 0),
                f.textOr("MembershipString", "MEMBER"), f.textOr("NodeName", "Not_Set"),
                f.textOr("HostName", "Not_Set"), f.textOr("StateName", WdState.name(state)),
                f.textOr("DelegateIP", "Not_Set"), f.intOr("WdPort", 0), f.intOr("PgpoolPort", 0),
                f.intOr("Priority", 0), f.get("LifecheckStarted").isPresent()
                        ? Optional.of(f.requireInt("LifecheckStarted")) : Optional.empty());
    }

    void write(JsonText w) {
        w.startElement().put("ID", id).put("State", state).put("Membership", membership)
                .put("MembershipString", membershipString).put("NodeName", nodeName).put("HostName", hostName)
                .put("StateName", stateName).put("DelegateIP", delegateIp).put("WdPort", wdPort)
                .put("PgpoolPort", pgpoolPort).put("Priority", priority);
        lifecheckStarted.ifPresent(v -> w.put("LifecheckStarted", v));
        w.endElement();
    }

    /**
     * @param state a new state
     * @return this node in that state, with the state's name
     */
    public WatchdogNode withState(int state) {
        return new WatchdogNode(id, state, membership, membershipString, nodeName, hostName, WdState.name(state),
                delegateIp, wdPort, pgpoolPort, priority, lifecheckStarted);
    }
}
