/**
 * {@code bin/gghealthcheck}: GGHealthCheck's flags, the standalone responder ({@code -s}) and the
 * client ({@code -c}). Internal to the bundle.
 */
package io.vigil.healthcheck.cli;
