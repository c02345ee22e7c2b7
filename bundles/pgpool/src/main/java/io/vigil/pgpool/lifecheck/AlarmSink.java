package io.vigil.pgpool.lifecheck;

import java.util.Map;

/** Where the bridge's alarms of class {@code pgpool} go. */
public interface AlarmSink {

    /**
     * @param event {@code node_dead}, {@code node_alive}, {@code leader_changed}, {@code quorum_lost},
     *        {@code quorum_restored}, {@code report_rejected}, {@code report_failed} (the cluster did not take a
     *        NODE STATUS CHANGE made to the compatible server) or {@code lifecheck_refused} (the watchdog
     *        refuses GET NODES LIST, e.g. for a wrong key; raised once until it answers again)
     * @param instance what it concerns, e.g. {@code node1}
     * @param attributes further fields, e.g. {@code message}
     */
    void raise(String event, String instance, Map<String, String> attributes);
}
