package io.vigil.healthcheck.osgi;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.healthcheck.core.DailyLog;
import io.vigil.healthcheck.core.HealthLog;
import io.vigil.healthcheck.core.Settings;
import io.vigil.healthcheck.core.Tee;
import io.vigil.healthcheck.server.HealthCheck;
import io.vigil.healthcheck.status.AgentSource;
import io.vigil.healthcheck.status.Sources;
import io.vigil.healthcheck.status.StatusSource;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responders of this agent, by name, whichever way each was configured (a ConfigAdmin factory
 * configuration or a {@code GGHealthCheck.ini} file); and the RGM's and the cluster's services and
 * events, which it hands to the sources that follow them ({@link AgentSource}) as they arrive.
 *
 * <p>Of the cluster's events it takes the node, coordinator and session ones, not the store's
 * ({@link ClusterEvents#STORE_CHANGED}): no source reads them. Where a group runs changes with the
 * store, but the RGM applies store changes on its own thread and then posts
 * {@link RgmEvents#GROUP_LOCATION}, so a location read on the store's event would still be the old one.
 */
@Component(service = {HealthChecks.class, EventHandler.class}, immediate = true, property = {
    EventConstants.EVENT_TOPIC + "=" + RgmEvents.TOPIC_PREFIX + "*",
    EventConstants.EVENT_TOPIC + "=" + ClusterEvents.TOPIC_PREFIX + "node/*",
    EventConstants.EVENT_TOPIC + "=" + ClusterEvents.TOPIC_PREFIX + "coordinator/*",
    EventConstants.EVENT_TOPIC + "=" + ClusterEvents.TOPIC_PREFIX + "session/*"})
public final class HealthChecks implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

    /** One running responder and where its configuration came from. */
    record Running(HealthCheck check, String origin, Optional<DailyLog> daily) {
    }

    private final Map<String, Running> running = new TreeMap<>();
    private final List<AgentSource> agentSources = new CopyOnWriteArrayList<>();
    private final HealthLog agentLog = new AgentLog();
    private ResourceGroupManager rgm;
    private ClusterMembership membership;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindRgm(ResourceGroupManager rgm) {
        this.rgm = rgm;
        feedServices();
    }

    synchronized void unbindRgm(ResourceGroupManager gone) {
        if (rgm == gone) { // with GREEDY a replacement is bound before the old one goes: nothing to feed then
            rgm = null;
            feedServices();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindMembership(ClusterMembership membership) {
        this.membership = membership;
        feedServices();
    }

    synchronized void unbindMembership(ClusterMembership gone) {
        if (membership == gone) {
            membership = null;
            feedServices();
        }
    }

    /** Hands the services now bound to every source that follows them. Guarded by this. */
    private void feedServices() {
        agentSources.forEach(s -> s.services(rgm, membership));
    }

    /**
     * Starts a responder.
     *
     * @param settings its settings (mode S)
     * @param origin where they came from, for messages
     * @return the responder
     * @throws IllegalArgumentException if the name is taken, the mode is not S, or the source is invalid
     * @throws IOException if its address cannot be bound or its log folder created
     */
    public synchronized HealthCheck start(Settings settings, String origin) throws IOException {
        Running other = running.get(settings.name());
        if (other != null) {
            throw new IllegalArgumentException("a responder named " + settings.name() + " already runs, from "
                    + other.origin() + "; expected a unique name");
        }
        if (settings.mode() != 'S') {
            throw new IllegalArgumentException("mode = " + settings.mode() + " is a client; the agent runs responders"
                    + " (mode S); run the client with bin/gghealthcheck -c");
        }
        StatusSource source = Sources.create(settings, "the Vigil agent", true);
        if (source instanceof AgentSource a) {
            agentSources.add(a);
            a.services(rgm, membership);
        }
        Optional<DailyLog> daily = Optional.empty();
        try {
            if (settings.logd().isPresent()) {
                daily = Optional.of(new DailyLog(settings.logd().get(), settings.name(), Clock.systemDefaultZone(),
                        m -> agentLog.problem(settings.name(), m)));
            }
            HealthLog log = daily.<HealthLog>map(d -> new Tee(agentLog, d)).orElse(agentLog);
            HealthCheck check = new HealthCheck(settings, source, log);
            running.put(settings.name(), new Running(check, origin, daily));
            LOG.info("Health check {} answers on {} ({}), status from {}: {}", settings.name(), check.address(),
                    settings.protocol(), source.describe(), check.answer());
            return check;
        } catch (IOException | RuntimeException e) {
            agentSources.remove(source);
            source.close();
            daily.ifPresent(DailyLog::close);
            throw e;
        }
    }

    /**
     * Stops a responder, if it runs and came from that origin.
     *
     * @param name its name
     * @param origin where its configuration came from
     */
    public synchronized void stop(String name, String origin) {
        Running r = running.get(name);
        if (r != null && r.origin().equals(origin)) {
            running.remove(name);
            close(r);
            LOG.info("Health check {} stopped", name);
        }
    }

    private void close(Running r) {
        agentSources.remove(r.check().source());
        try {
            r.check().close();
        } finally {
            r.daily().ifPresent(DailyLog::close);
        }
    }

    /** @return the running responders, by name */
    public synchronized Map<String, Running> running() {
        return Map.copyOf(running);
    }

    /**
     * @param name a responder's name
     * @return it
     * @throws IllegalArgumentException if none has that name, listing those that run
     */
    public HealthCheck get(String name) {
        return running(name).check();
    }

    /**
     * @param name a responder's name
     * @return it and where it came from, as one snapshot
     * @throws IllegalArgumentException if none has that name, listing those that run
     */
    public synchronized Running running(String name) {
        Running r = running.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no responder named '" + name + "'; expected one of: "
                    + (running.isEmpty() ? "(none configured)" : String.join(", ", running.keySet())));
        }
        return r;
    }

    @Override
    public void handleEvent(Event event) {
        if (agentSources.isEmpty()) {
            return;
        }
        Map<String, Object> properties = new HashMap<>();
        for (String key : event.getPropertyNames()) {
            properties.put(key, event.getProperty(key));
        }
        for (AgentSource s : agentSources) {
            // one source's failure (a malformed property, say) must not keep the event from the others
            try {
                s.onEvent(event.getTopic(), properties);
            } catch (RuntimeException e) {
                LOG.warn("Health check source {} could not take the event {} {}", s.describe(), event.getTopic(),
                        properties, e);
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        running.values().forEach(this::close);
        running.clear();
    }
}
