/**
 * Vigil's own alarms: {@link io.vigil.events.rgm.RgmAlarms} raises class {@code vigil} alarms for
 * the RGM's events. Internal to the bundle.
 */
package io.vigil.events.rgm;
