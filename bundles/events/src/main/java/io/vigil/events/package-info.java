/**
 * The events bundle's components: {@link io.vigil.events.EventsService} provides the
 * {@link io.vigil.api.alarm.AlarmService}. Internal to the bundle; nothing is exported.
 */
package io.vigil.events;
