package io.vigil.events;

import io.vigil.events.dispatch.AlarmRecord;
import io.vigil.events.recovery.Policies;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the events commands read and change; provided by {@link EventsService} inside the bundle. */
public interface EventsView {

    /** @return the recent alarms, oldest first */
    List<AlarmRecord> recent();

    /**
     * @return the handler programs by {@code <class>/<event>}
     * @throws java.io.IOException if the events directory cannot be read
     */
    Map<String, List<Path>> programHandlers() throws java.io.IOException;

    /** @return the EventAdmin handlers of alarms: bundle and topics of each */
    List<Map<String, String>> bundleHandlers();

    /** @return the recovery services: type and events of each */
    List<Map<String, String>> recoveryHandlers();

    /** @return the recovery policies */
    Policies policies();

    /**
     * Accepts a sendevent option vector.
     *
     * @param argv the options
     * @return the alarm's sequence, 0 when spooled
     * @throws IllegalArgumentException naming a wrong option
     */
    long sendevent(List<String> argv);
}
