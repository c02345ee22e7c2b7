package io.vigil.pgpool.codec;

/** What a reply packet means, independent of the byte a {@link Dialect} gives it. */
public enum Result {
    /** The command succeeded; data, if any, is JSON. */
    OK,
    /** The command failed; data is empty or {@code {"MESSAGE":...}}. */
    BAD,
    /** The cluster is changing; try again. */
    IN_TRANSITION,
    /** A forwarded command timed out. */
    TIMEOUT,
    /** The nodes list (the manual's NODES LIST DATA). */
    NODES_LIST_DATA
}
