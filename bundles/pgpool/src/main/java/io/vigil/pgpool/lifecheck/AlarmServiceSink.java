package io.vigil.pgpool.lifecheck;

import io.vigil.api.alarm.Alarm;
import io.vigil.api.alarm.AlarmService;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Raises alarms of class {@code pgpool} through the AlarmService when there is one, and logs when not. */
public final class AlarmServiceSink implements AlarmSink {

    /** The alarm class. */
    public static final String CLASS = "pgpool";

    private static final Logger LOG = LoggerFactory.getLogger(AlarmServiceSink.class);

    private final Supplier<AlarmService> service;
    private final String monitor;

    /**
     * @param service the current AlarmService, or null while there is none
     * @param monitor the alarms' monitor field ({@code -m})
     */
    public AlarmServiceSink(Supplier<AlarmService> service, String monitor) {
        this.service = service;
        this.monitor = monitor;
    }

    @Override
    public void raise(String event, String instance, Map<String, String> attributes) {
        AlarmService s = service.get();
        if (s == null) {
            LOG.warn("No alarm service: alarm {}/{} for {} not raised ({})", CLASS, event, instance,
                    attributes.getOrDefault("message", ""));
            return;
        }
        Alarm.Builder b = Alarm.builder(CLASS, event).monitor(monitor).instance(instance);
        attributes.forEach(b::attribute);
        s.send(b.build());
    }
}
