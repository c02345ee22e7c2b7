package io.vigil.api.alarm;

/**
 * Raises alarms. Provided by the events bundle (issue #5) as a service.
 */
@org.osgi.annotation.versioning.ProviderType
public interface AlarmService {

    /**
     * Hands an alarm over for dispatch and returns at once; handlers run asynchronously. An
     * alarm accepted here is never silently lost: when dispatch is saturated it is spooled.
     *
     * @param alarm the alarm
     */
    void send(Alarm alarm);
}
