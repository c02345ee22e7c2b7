/**
 * What every part of the health check shares: {@link io.vigil.healthcheck.core.Settings} (the keys
 * of {@code GGHealthCheck.ini}, validated), the {@link io.vigil.healthcheck.core.IniFile} reader, the
 * precomputed {@link io.vigil.healthcheck.core.Answer}, and the logs. Plain Java, so that
 * {@code bin/gghealthcheck} runs it outside the agent. Internal to the bundle.
 */
package io.vigil.healthcheck.core;
