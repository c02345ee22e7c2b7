package io.vigil.cluster.zk;

import java.util.Map;

/** Where the cluster's {@link io.vigil.api.cluster.ClusterEvents} go: EventAdmin in the framework, a list in tests. */
@FunctionalInterface
interface Notifier {

    /**
     * @param topic the event's topic
     * @param properties its properties
     */
    void post(String topic, Map<String, Object> properties);
}
