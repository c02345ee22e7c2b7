package io.vigil.api.rgm;

import java.util.Objects;

/**
 * An outside observer's report that a cluster node is dead (a watchdog's lifecheck, a monitoring
 * system, an operator), as {@link ResourceGroupManager#reportNode} stored it. It holds while the
 * node keeps the cluster session it had when reported; a report about a node that has since left
 * (or rejoined with a new session) no longer counts.
 *
 * @param node the node reported dead
 * @param reason what the reporter said
 * @param reportedOn the node whose agent received the report
 * @param time when, epoch milliseconds
 * @since 1.3
 */
public record NodeReport(String node, String reason, String reportedOn, long time) {

    /** Checks for nulls. */
    public NodeReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(reportedOn, "reportedOn");
    }
}
