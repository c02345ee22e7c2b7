package io.vigil.api.alarm;

/**
 * How a Java resource type recovers its resources from an alarm: register an implementation as
 * a service with {@link #TYPE} naming the type and {@link #EVENTS} the alarms it recovers from.
 * (A script type instead ships a program at {@code <RT_basedir>/recovery/<class>/<event>}.)
 *
 * <pre>
 * &#64;Component(property = {
 *     AlarmRecovery.TYPE + "=EXAMPLE.web",
 *     AlarmRecovery.EVENTS + "=app/hung",
 *     AlarmRecovery.EVENTS + "=filesys/badmount"})
 * public final class WebRecovery implements AlarmRecovery { ... }
 * </pre>
 *
 * <p>When an alarm's instance ({@code -n}) names a resource of the type and its class and event
 * are listed, the events bundle asks for local recovery first, subject to the recovery policies
 * (LocalRecovery, TemporalRecovery, NotificationOnly); if local recovery fails or is not allowed,
 * it requests a giveover of the resource's group (policy Failover). Calls for one resource never
 * overlap; implementations must be thread-safe across resources.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface AlarmRecovery {

    /** Service property: the full name of the resource type it recovers. Required. */
    String TYPE = "vigil.recovery.type";

    /**
     * Service property: the alarms it recovers from, each {@code <class>/<event>}, or
     * {@code <class>/*} for every event of a class. Required (String or String[]).
     */
    String EVENTS = "vigil.recovery.events";

    /** What local recovery came to. */
    enum Outcome {
        /** The resource serves again: nothing more is done. */
        RECOVERED,
        /** Local recovery did not help: the group is given over (policy Failover). */
        FAILED,
        /** Ask Vigil to restart the resource on this node as the local recovery. */
        RESTART
    }

    /**
     * Recovers a resource locally.
     *
     * @param alarm the alarm
     * @param resource the resource it names
     * @return the outcome
     * @throws Exception any failure; treated as {@link Outcome#FAILED}
     */
    Outcome recover(Alarm alarm, String resource) throws Exception;
}
