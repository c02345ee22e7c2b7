package io.vigil.api.cluster;

import java.util.Objects;

/**
 * The node that currently holds the coordinator role (the elected leader), and the term it holds
 * it in.
 *
 * @param node the coordinator's node name
 * @param epoch the term's fencing token: strictly greater for every new term, on every node, for
 *        the life of the cluster's store. A decision made in term {@code e} is committed with
 *        {@link ClusterStore#commitFenced(long, java.util.List) commitFenced(e, ...)}, which is
 *        refused once a later term has begun, so a coordinator that lost its role without knowing
 *        it cannot act on what it decided.
 */
public record Coordinator(String node, long epoch) {

    /** Checks the fields. */
    public Coordinator {
        Objects.requireNonNull(node, "node");
        if (epoch < 1) {
            throw new IllegalArgumentException("coordinator epoch " + epoch + " is not valid; expected 1 or more");
        }
    }
}
