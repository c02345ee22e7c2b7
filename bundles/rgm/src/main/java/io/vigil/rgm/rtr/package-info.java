/**
 * Parser for Sun Cluster Resource Type Registration (RTR) files: {@link io.vigil.rgm.rtr.RtrParser}
 * turns RTR text into an immutable {@link io.vigil.rgm.rtr.RtrFile}, or reports the first error
 * as an {@link io.vigil.rgm.rtr.RtrException} with line and column.
 */
package io.vigil.rgm.rtr;
