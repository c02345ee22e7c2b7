/**
 * Sending alarms: {@link io.vigil.events.send.SendEventArgs} parses the LifeKeeper sendevent
 * option vector into an alarm and back; {@link io.vigil.events.send.Spool} keeps alarms that
 * cannot be dispatched yet, durably, until they are. Internal to the bundle.
 */
package io.vigil.events.send;
