package io.vigil.healthcheck.core;

import java.net.SocketAddress;

/**
 * Two logs as one: the agent's (or the console) and, when {@code logd} is set, the daily file.
 *
 * @param first always written
 * @param second written too
 */
public record Tee(HealthLog first, HealthLog second) implements HealthLog {

    @Override
    public void changed(String responder, Answer before, Answer after) {
        first.changed(responder, before, after);
        second.changed(responder, before, after);
    }

    @Override
    public boolean logsAnswers() {
        return first.logsAnswers() || second.logsAnswers();
    }

    @Override
    public void answered(String responder, SocketAddress peer, String received, Answer answer) {
        if (first.logsAnswers()) {
            first.answered(responder, peer, received, answer);
        }
        if (second.logsAnswers()) {
            second.answered(responder, peer, received, answer);
        }
    }

    @Override
    public void problem(String responder, String message) {
        first.problem(responder, message);
        second.problem(responder, message);
    }

    @Override
    public void flush() {
        first.flush();
        second.flush();
    }
}
