package io.vigil.healthcheck.server;

import io.vigil.healthcheck.core.AdminState;
import io.vigil.healthcheck.core.Answer;
import io.vigil.healthcheck.core.Health;
import io.vigil.healthcheck.core.HealthLog;
import io.vigil.healthcheck.core.Settings;
import io.vigil.healthcheck.status.StatusSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;

/**
 * One running responder: its status source, the operator's administrative state and weight, and
 * the {@link Responder} that answers from them. The answer is recomputed when one of them changes
 * and read, never computed, by the responder.
 */
public final class HealthCheck implements AutoCloseable {

    private final Settings settings;
    private final StatusSource source;
    private final HealthLog log;
    private final Responder responder;
    private volatile Answer answer;

    /**
     * Starts the source and binds the responder.
     *
     * @param settings the settings
     * @param source where the health comes from; closed with this
     * @param log where status changes, answers and problems go
     * @throws IOException if the address cannot be resolved or bound (the source is closed then)
     */
    public HealthCheck(Settings settings, StatusSource source, HealthLog log) throws IOException {
        this.settings = settings;
        this.source = source;
        this.log = log;
        this.answer = Answer.of(source.current(), AdminState.READY, settings.weight());
        try {
            InetAddress host = settings.host().isEmpty() ? InetAddress.getLoopbackAddress()
                    : InetAddress.getByName(settings.host());
            source.start(this::healthChanged);
            healthChanged(source.current());
            this.responder = new Responder(settings.name(), new InetSocketAddress(host, settings.port()),
                    settings.protocol(), settings.svTimeout(), settings.maxConnections(), () -> answer, log);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    private void healthChanged(Health health) {
        change(a -> Answer.of(health, a.admin(), a.weight()));
    }

    /** @param state the operator's administrative state */
    public void admin(AdminState state) {
        change(a -> Answer.of(a.health(), state, a.weight()));
    }

    /** @param percent the weight to announce to HAProxy, 0 to 100 */
    public void weight(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("weight " + percent + " is invalid; expected 0 to 100 (percent)");
        }
        change(a -> Answer.of(a.health(), a.admin(), percent));
    }

    private void change(UnaryOperator<Answer> how) {
        Answer before;
        Answer after;
        synchronized (this) {
            before = answer;
            after = how.apply(before);
            answer = after;
        }
        if (!after.toString().equals(before.toString())) {
            log.changed(settings.name(), before, after);
        }
    }

    /** @return what a client is answered now */
    public Answer answer() {
        return answer;
    }

    /** @return the settings */
    public Settings settings() {
        return settings;
    }

    /** @return the status source */
    public StatusSource source() {
        return source;
    }

    /** @return where it listens */
    public InetSocketAddress address() {
        return responder.address();
    }

    /** @return connections answered since the start */
    public long answered() {
        return responder.answered();
    }

    /** Stops answering and checking. */
    @Override
    public void close() {
        try {
            responder.close();
        } finally {
            source.close();
        }
    }
}
