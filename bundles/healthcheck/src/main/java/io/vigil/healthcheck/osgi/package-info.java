/**
 * The responders inside the agent: configured by ConfigAdmin factory configurations
 * ({@code io.vigil.healthcheck}) or {@code GGHealthCheck.ini} files in {@code deploy/} or {@code etc/},
 * fed with the RGM's events, administered with {@code hc}. Internal to the bundle.
 */
package io.vigil.healthcheck.osgi;
