/**
 * Alarms: LifeKeeper {@code sendevent} reports, raised by monitors and dispatched to every handler.
 *
 * <p>An {@link io.vigil.api.alarm.Alarm} names a class and an event (for instance
 * {@code filesys}/{@code diskfull}) and the instance it concerns. Bundles raise alarms through
 * {@link io.vigil.api.alarm.AlarmService}; handlers are programs in {@code etc/events/<class>/<event>/}
 * or OSGi EventAdmin handlers on topic {@code vigil/event/<class>/<event>}. The events bundle
 * (issue #5) provides the service and the dispatch. {@link io.vigil.api.alarm.AlarmEvents} names the
 * properties an EventAdmin handler receives; {@link io.vigil.api.alarm.AlarmRecovery} is how a Java
 * resource type declares that it recovers its resources from an alarm.
 */
@Export
@Version("1.1.0")
package io.vigil.api.alarm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
