/**
 * Status sources, each keeping its latest finding in memory: a command run every {@code svSleep}
 * under a timeout, a resource group or resource kept current from the RGM's events, or the agent
 * itself. Internal to the bundle.
 */
package io.vigil.healthcheck.status;
