package io.vigil.events;

import io.vigil.api.alarm.Alarm;
import io.vigil.api.alarm.AlarmRecovery;
import io.vigil.api.alarm.AlarmService;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.type.ResourceTypeRegistry;
import io.vigil.events.dispatch.AlarmRecord;
import io.vigil.events.dispatch.Dispatcher;
import io.vigil.events.dispatch.HandlerDirectory;
import io.vigil.events.dispatch.HandlerRun;
import io.vigil.events.dispatch.ProgramCheck;
import io.vigil.events.dispatch.ProgramRunner;
import io.vigil.events.recovery.Policies;
import io.vigil.events.recovery.RecoveryQueue;
import io.vigil.events.recovery.RecoveryRouter;
import io.vigil.events.send.SendEventArgs;
import io.vigil.events.send.Spool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AlarmService}: dispatches every alarm to the handler programs under
 * {@code etc/events/}, to EventAdmin handlers on {@code vigil/event/<class>/<event>}, and to
 * resource recovery; delivers the alarms spooled while the agent was down at start, and
 * overflowed ones as soon as there is room (checked every half second).
 */
@Component(service = {AlarmService.class, EventsView.class}, immediate = true, configurationPid = EventsService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EventsService.Config.class)
public final class EventsService implements AlarmService, EventsView {

    /** Configuration PID. */
    public static final String PID = "io.vigil.events";

    private static final Logger LOG = LoggerFactory.getLogger(EventsService.class);

    @ObjectClassDefinition(name = "Vigil events",
            description = "Dispatch of sendevent alarms to handler programs and EventAdmin handlers, the spool, "
                    + "and resource recovery.")
    public @interface Config {
        @AttributeDefinition(name = "Events directory", description = "Directory of the handler programs, "
                + "<class>/<event>/ and allclass/. Empty: events/ in the agent's etc/ (framework property vigil.home).")
        String events_dir() default "";

        @AttributeDefinition(name = "Spool directory", description = "Directory of alarms waiting for dispatch. "
                + "Empty: events/spool/ in the agent's data directory (framework property vigil.data). bin/sendevent "
                + "writes there while the agent is not running.")
        String spool_dir() default "";

        @AttributeDefinition(name = "Workers", description = "Handler programs that may run at once.", min = "1")
        int workers() default 8;

        @AttributeDefinition(name = "Queue capacity", description = "Alarms waiting for dispatch before further "
                + "ones are spooled.", min = "1")
        int queue_capacity() default 4096;

        @AttributeDefinition(name = "Handler timeout", description = "Seconds a handler program may run before its "
                + "session is killed.", min = "1")
        int handler_timeout() default 30;

        @AttributeDefinition(name = "Recovery timeout", description = "Seconds a recovery program may run.", min = "1")
        int recovery_timeout() default 300;

        @AttributeDefinition(name = "Recovery threads", description = "Recoveries of different resources that may "
                + "run at once; those of one resource run one after the other.", min = "1")
        int recovery_threads() default 4;

        @AttributeDefinition(name = "History", description = "Recent alarms kept for events list.", min = "0")
        int history() default 500;
    }

    private final Dispatcher dispatcher;
    private final HandlerDirectory handlers;
    private final Policies policies;
    private final RecoveryQueue recoveries;
    private final ScheduledExecutorService drainer;
    private final Map<ServiceReference<AlarmRecovery>, RecoveryRouter.JavaRecovery> javaRecoveries =
            new ConcurrentHashMap<>();
    private final Map<ServiceReference<EventHandler>, Map<String, String>> eventHandlers = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ResourceGroupManager rgm;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ResourceTypeRegistry registry;

    /**
     * @param context the bundle's context, for vigil.home and vigil.data
     * @param store where the recovery policies are kept
     * @param config the configuration
     * @throws IOException if the spool directory cannot be created
     */
    @Activate
    public EventsService(BundleContext context, @Reference ClusterStore store, Config config) throws IOException {
        Path home = Path.of(Optional.ofNullable(context.getProperty("vigil.home")).orElse("."));
        Path data = Path.of(Optional.ofNullable(context.getProperty("vigil.data")).orElse("data"));
        Path eventsDir = config.events_dir().isBlank() ? home.resolve("etc/events") : Path.of(config.events_dir());
        Path spoolDir = config.spool_dir().isBlank() ? data.resolve("events/spool") : Path.of(config.spool_dir());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("VIGIL_HOME", home.toAbsolutePath().toString());
        Dispatcher.Settings settings = new Dispatcher.Settings(config.workers(), config.queue_capacity(),
                Duration.ofSeconds(config.handler_timeout()), config.history(), ProgramCheck.currentUid(), env);
        this.policies = new Policies(store);
        Duration recoveryTimeout = Duration.ofSeconds(config.recovery_timeout());
        Dispatcher[] self = new Dispatcher[1];
        RecoveryRouter router = new RecoveryRouter(() -> Optional.ofNullable(rgm), () -> Optional.ofNullable(registry),
                () -> new ArrayList<>(javaRecoveries.values()), policies,
                (record, program) -> self[0].runProgram(record, program, Map.of(), recoveryTimeout), this::send,
                Clock.systemUTC());
        this.recoveries = new RecoveryQueue(router::recover, config.recovery_threads(), 64);
        this.handlers = new HandlerDirectory(eventsDir);
        this.dispatcher = new Dispatcher(settings, handlers, new Spool(spoolDir),
                new ProgramRunner(data.resolve("tmp")), this::postEvent, record -> {
                    if (router.applies(record.alarm())) {
                        // Resource names are case-insensitive, as in the RGM: one queue per resource.
                        recoveries.submit(record.alarm().instance().toLowerCase(java.util.Locale.ROOT), record);
                    }
                }, ZoneId.systemDefault());
        self[0] = dispatcher;
        int spooled = dispatcher.drainSpool();
        if (spooled > 0) {
            LOG.info("{} spooled alarms queued for dispatch from {}", spooled, spoolDir);
        }
        this.drainer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "vigil-events-spool"));
        drainer.scheduleWithFixedDelay(surviving("drain of the alarm spool " + spoolDir, dispatcher::drainSpool), 500,
                500, TimeUnit.MILLISECONDS);
        LOG.info("Events ready: handlers in {}, spool {}, {} workers", eventsDir, spoolDir, settings.workers());
    }

    /**
     * @param what the task, for the log
     * @param task a periodic task
     * @return the task, logging what it throws instead of throwing it, which would cancel every
     *         later run of a scheduled task
     */
    static Runnable surviving(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("The {} failed: {}; it runs again at its next time", what, e.toString(), e);
            }
        };
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private HandlerRun postEvent(AlarmRecord record) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return null;
        }
        long t0 = System.nanoTime();
        ea.postEvent(new Event(record.alarm().topic(), Dispatcher.eventProperties(record)));
        return new HandlerRun("eventadmin", "posted", -1, (System.nanoTime() - t0) / 1_000_000, record.alarm().topic());
    }

    @Override
    public void send(Alarm alarm) {
        dispatcher.send(alarm);
    }

    @Override
    public long sendevent(List<String> argv) {
        return dispatcher.send(SendEventArgs.parse(argv, ZoneId.systemDefault()));
    }

    @Override
    public List<AlarmRecord> recent() {
        return dispatcher.recent();
    }

    @Override
    public Map<String, List<Path>> programHandlers() throws IOException {
        return handlers.all();
    }

    @Override
    public List<Map<String, String>> bundleHandlers() {
        return new ArrayList<>(eventHandlers.values());
    }

    @Override
    public List<Map<String, String>> recoveryHandlers() {
        List<Map<String, String>> out = new ArrayList<>();
        javaRecoveries.values().forEach(j -> out.add(Map.of("type", j.type(), "events", String.join(",", j.events()))));
        return out;
    }

    @Override
    public Policies policies() {
        return policies;
    }

    /** Stops dispatching; queued alarms are spooled for the next start. */
    @Deactivate
    public void deactivate() {
        drainer.shutdownNow();
        dispatcher.close();
        recoveries.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindRecovery(ServiceReference<AlarmRecovery> ref, AlarmRecovery service) {
        Object type = ref.getProperty(AlarmRecovery.TYPE);
        List<String> events = strings(ref.getProperty(AlarmRecovery.EVENTS));
        if (!(type instanceof String t) || t.isBlank() || events.isEmpty()) {
            LOG.warn("AlarmRecovery service {} ignored: it needs properties {} (a type name) and {} (class/event)",
                    ref.getProperty("service.id"), AlarmRecovery.TYPE, AlarmRecovery.EVENTS);
            return;
        }
        javaRecoveries.put(ref, new RecoveryRouter.JavaRecovery(t, events, service));
    }

    void unbindRecovery(ServiceReference<AlarmRecovery> ref) {
        javaRecoveries.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            service = EventHandler.class)
    void bindEventHandler(ServiceReference<EventHandler> ref) {
        List<String> topics = strings(ref.getProperty(EventConstants.EVENT_TOPIC)).stream()
                .filter(t -> t.equals("*") || t.startsWith("vigil/*") || t.startsWith("vigil/event")).toList();
        if (!topics.isEmpty()) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("bundle", ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName() + " ("
                    + ref.getBundle().getBundleId() + ")");
            m.put("topics", String.join(",", topics));
            eventHandlers.put(ref, m);
        }
    }

    void unbindEventHandler(ServiceReference<EventHandler> ref) {
        eventHandlers.remove(ref);
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof String[] a) {
            return Arrays.asList(a);
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
