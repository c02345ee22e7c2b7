package io.vigil.events.rgm;

import io.vigil.api.alarm.Alarm;
import io.vigil.api.alarm.AlarmEvents;
import io.vigil.api.alarm.AlarmService;
import io.vigil.api.rgm.RgmEvents;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Turns the RGM's events ({@link RgmEvents}, topics {@code vigil/rgm/*}) into alarms of class
 * {@code vigil}, so that operators can hang notifications on them like on any other alarm:
 * <ul>
 * <li>{@code group_state}: a group's state changed (severity ERROR for ERROR_STOP_FAILED and
 *     ONLINE_FAULTED, else INFO); instance is the group.</li>
 * <li>{@code giveover}: a giveover was requested (WARNING when relocated, ERROR when refused).</li>
 * <li>{@code start_failed}, {@code stop_failed}, {@code monitor_failed}: a resource entered that
 *     state; {@code method_failed}: a method failed (its name in {@code problemType}).</li>
 * <li>{@code restart}: a resource was restarted (WARNING, ERROR when the restart failed).</li>
 * <li>{@code resource_faulted}: a resource's Status became FAULTED (its monitor gave up);
 *     {@code resource_degraded}: DEGRADED.</li>
 * </ul>
 * Other changes (a resource going online, a status becoming OK) raise no alarm.
 */
@Component(service = EventHandler.class, property = EventConstants.EVENT_TOPIC + "=" + RgmEvents.TOPIC_PREFIX + "*")
public final class RgmAlarms implements EventHandler {

    /** The monitor name of these alarms ({@code -m}). */
    public static final String MONITOR = "vigil-rgm";

    private static final Set<String> BAD_GROUP_STATES = Set.of("ERROR_STOP_FAILED", "ONLINE_FAULTED");

    private final AlarmService alarms;

    /** @param alarms where the alarms go */
    @Activate
    public RgmAlarms(@Reference AlarmService alarms) {
        this.alarms = alarms;
    }

    @Override
    public void handleEvent(Event event) {
        Map<String, Object> p = new java.util.HashMap<>();
        for (String name : event.getPropertyNames()) {
            p.put(name, event.getProperty(name));
        }
        toAlarm(event.getTopic(), p).ifPresent(alarms::send);
    }

    /**
     * @param topic an RGM topic
     * @param p the event's properties
     * @return the alarm it raises, if any
     */
    public static Optional<Alarm> toAlarm(String topic, Map<String, Object> p) {
        String group = text(p, RgmEvents.GROUP);
        String resource = text(p, RgmEvents.RESOURCE);
        String state = text(p, RgmEvents.STATE);
        String message = text(p, RgmEvents.MESSAGE);
        switch (topic) {
            case RgmEvents.GROUP_STATE:
                return Optional.of(alarm("group_state", group, "group", BAD_GROUP_STATES.contains(state) ? "ERROR" : "INFO",
                        "group " + group + " " + text(p, RgmEvents.PREVIOUS) + " -> " + state
                                + (message.isEmpty() ? "" : ": " + message), state, p));
            case RgmEvents.GROUP_GIVEOVER: {
                String outcome = text(p, RgmEvents.OUTCOME);
                return Optional.of(alarm("giveover", group, "group", outcome.equals("refused") ? "ERROR" : "WARNING",
                        "giveover of group " + group + " " + outcome + ": " + text(p, RgmEvents.REASON)
                                + (message.isEmpty() ? "" : " (" + message + ")"), outcome, p));
            }
            case RgmEvents.RESOURCE_STATE:
                return switch (state) {
                    case "START_FAILED", "STOP_FAILED", "MONITOR_FAILED" -> Optional.of(alarm(
                            state.toLowerCase(java.util.Locale.ROOT), resource, "resource", "ERROR",
                            "resource " + resource + " " + text(p, RgmEvents.PREVIOUS) + " -> " + state, state, p));
                    default -> Optional.empty();
                };
            case RgmEvents.RESOURCE_STATUS: {
                String status = text(p, RgmEvents.STATUS);
                return switch (status) {
                    case "FAULTED" -> Optional.of(alarm("resource_faulted", resource, "resource", "ERROR",
                            "resource " + resource + " FAULTED" + (message.isEmpty() ? "" : ": " + message), status, p));
                    case "DEGRADED" -> Optional.of(alarm("resource_degraded", resource, "resource", "WARNING",
                            "resource " + resource + " DEGRADED" + (message.isEmpty() ? "" : ": " + message), status, p));
                    default -> Optional.empty();
                };
            }
            case RgmEvents.RESOURCE_RESTART: {
                String outcome = text(p, RgmEvents.OUTCOME);
                return Optional.of(alarm("restart", resource, "resource", outcome.equals("ok") ? "WARNING" : "ERROR",
                        "resource " + resource + " restarted (" + outcome + "): " + text(p, RgmEvents.REASON),
                        outcome, p));
            }
            case RgmEvents.METHOD_FAILED: {
                Alarm a = alarm("method_failed", resource, "resource", "ERROR", text(p, RgmEvents.METHOD) + " of resource "
                        + resource + " failed" + (message.isEmpty() ? "" : ": " + message), text(p, RgmEvents.METHOD), p);
                return Optional.of(a);
            }
            default:
                return Optional.empty();
        }
    }

    private static Alarm alarm(String event, String instance, String objectClass, String severity, String text,
            String data, Map<String, Object> p) {
        Alarm.Builder b = Alarm.builder(io.vigil.events.recovery.RecoveryRouter.VIGIL_CLASS, event).monitor(MONITOR)
                .instance(instance.isEmpty() ? "unknown" : instance)
                .attribute(AlarmEvents.OBJECT_CLASS, objectClass)
                .attribute(AlarmEvents.SEVERITY, severity)
                .attribute(AlarmEvents.PROBLEM_TEXT, text);
        if (!data.isEmpty()) {
            b.attribute(AlarmEvents.PROBLEM_DATA, data);
        }
        if (event.equals("method_failed")) {
            b.attribute(AlarmEvents.PROBLEM_TYPE, data.isEmpty() ? "unknown" : data);
        }
        if (p.get(RgmEvents.TIME) instanceof Long t) {
            b.time(java.time.Instant.ofEpochMilli(t));
        }
        return b.build();
    }

    private static String text(Map<String, Object> p, String key) {
        Object v = p.get(key);
        return v == null ? "" : v.toString();
    }
}
