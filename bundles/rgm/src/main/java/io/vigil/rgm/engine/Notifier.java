package io.vigil.rgm.engine;

import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.ResourceState;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.type.ResourceStatus;
import java.util.Map;

/**
 * Tells the rest of the agent what changed, as the events of {@link RgmEvents}. Called on the
 * thread that made the change; an implementation must hand the event off and return at once.
 */
interface Notifier {

    /** Posts nothing. */
    Notifier NONE = (topic, properties) -> { };

    /**
     * @param topic one of the {@link RgmEvents} topics
     * @param properties its properties, without {@link RgmEvents#TIME}
     */
    void post(String topic, Map<String, Object> properties);

    default void groupState(GroupRuntime g, GroupState previous) {
        post(RgmEvents.GROUP_STATE, Map.of(RgmEvents.GROUP, g.name(), RgmEvents.STATE, g.state.name(),
                RgmEvents.PREVIOUS, previous.name(), RgmEvents.MESSAGE, g.message));
    }

    default void resourceState(ResourceRuntime r, ResourceState previous) {
        post(RgmEvents.RESOURCE_STATE, Map.of(RgmEvents.GROUP, r.config.group(), RgmEvents.RESOURCE, r.name(),
                RgmEvents.TYPE, r.config.type(), RgmEvents.STATE, r.state.name(), RgmEvents.PREVIOUS, previous.name()));
    }

    default void resourceStatus(ResourceRuntime r, ResourceStatus previous, String message) {
        post(RgmEvents.RESOURCE_STATUS, Map.of(RgmEvents.GROUP, r.config.group(), RgmEvents.RESOURCE, r.name(),
                RgmEvents.TYPE, r.config.type(), RgmEvents.STATUS, r.status.name(), RgmEvents.PREVIOUS,
                previous.name(), RgmEvents.MESSAGE, message));
    }

    default void resourceAction(String topic, ResourceRuntime r, String key, String value, String message) {
        post(topic, Map.of(RgmEvents.GROUP, r.config.group(), RgmEvents.RESOURCE, r.name(), RgmEvents.TYPE,
                r.config.type(), key, value, RgmEvents.MESSAGE, message));
    }
}
