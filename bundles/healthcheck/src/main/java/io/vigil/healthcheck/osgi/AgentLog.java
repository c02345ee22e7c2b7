package io.vigil.healthcheck.osgi;

import io.vigil.healthcheck.core.Answer;
import io.vigil.healthcheck.core.HealthLog;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent log: status changes at INFO, problems at WARN, each answer at DEBUG. */
final class AgentLog implements HealthLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.healthcheck");

    @Override
    public void changed(String responder, Answer before, Answer after) {
        LOG.info("Health check {}: {} (was {})", responder, after, before);
    }

    @Override
    public boolean logsAnswers() {
        return LOG.isDebugEnabled();
    }

    @Override
    public void answered(String responder, SocketAddress peer, String received, Answer answer) {
        LOG.debug("Health check {} answered {} to {}", responder, answer.serverUp() ? Answer.UP : Answer.DOWN, peer);
    }

    @Override
    public void problem(String responder, String message) {
        LOG.warn("Health check {}: {}", responder, message);
    }
}
