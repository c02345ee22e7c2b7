package io.vigil.healthcheck.core;

import java.net.SocketAddress;

/**
 * Where a responder reports: the agent log inside Vigil, the console standalone, and the daily file
 * of {@code logd}. Called from the responder's threads; implementations are thread-safe and do not
 * throw: a log that cannot write reports that elsewhere (as {@link DailyLog} does) and goes on.
 */
public interface HealthLog {

    /**
     * The status changed.
     *
     * @param responder the responder's name
     * @param before the previous answer
     * @param after the new answer
     */
    void changed(String responder, Answer before, Answer after);

    /** @return whether {@link #answered} wants to be called (answers are many) */
    boolean logsAnswers();

    /**
     * A client got an answer.
     *
     * @param responder the responder's name
     * @param peer the client's address
     * @param received what it sent, as ISO-8859-1 text
     * @param answer what it got
     */
    void answered(String responder, SocketAddress peer, String received, Answer answer);

    /**
     * Something went wrong that the operator must know about.
     *
     * @param responder the responder's name
     * @param message what
     */
    void problem(String responder, String message);

    /** Writes out what is buffered; called when a responder has nothing else to do. */
    default void flush() {
    }
}
