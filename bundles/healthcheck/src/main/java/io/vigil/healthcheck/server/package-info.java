/**
 * The responder: {@link io.vigil.healthcheck.server.Responder} serves every connection of one
 * listening socket from a single selector thread; {@link io.vigil.healthcheck.server.HealthCheck}
 * ties it to a status source and the operator's drain/maint/ready and weight. Internal to the bundle.
 */
package io.vigil.healthcheck.server;
