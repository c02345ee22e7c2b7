package io.vigil.events.recovery;

import io.vigil.api.alarm.Alarm;
import io.vigil.api.alarm.AlarmEvents;
import io.vigil.api.alarm.AlarmRecovery;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.ResourceState;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.ResourceTypeInfo;
import io.vigil.api.type.ResourceTypeRegistry;
import io.vigil.events.dispatch.AlarmRecord;
import io.vigil.events.dispatch.HandlerRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resource recovery from alarms (LifeKeeper's recovery sequence): an alarm whose instance names a
 * resource whose type recovers from its class and event is recovered locally first, then, if
 * that fails or is not allowed, by a giveover of the resource's group.
 *
 * <p>A type recovers from {@code <class>/<event>} when it is a script type with a program at
 * {@code <RT_basedir>/recovery/<class>/<event>}, when its RTR file declares it in the extension
 * property {@value #RECOVERY_EVENTS} (a STRINGARRAY of {@code class/event} or {@code class/*}, e.g.
 * {@code DEFAULT = "filesys/diskfull", "app/*";}), or when an {@link AlarmRecovery} service names it.
 * Local recovery is the program (exit 0: recovered), a restart of the resource for a declaration
 * (recovered when it ends online), or the service's outcome (RESTART: the same restart). The policies decide: NotificationOnly skips
 * recovery; LocalRecovery off, or TemporalRecovery's N local recoveries already made within T, go
 * straight to the giveover; Failover off stops there. A refused giveover (always, on a cluster of
 * one) is recorded as "failover refused" and raises alarm {@code vigil/failover_refused}.
 *
 * <p>Alarms of class {@code vigil} (Vigil's own reports) are never recovered from, so that a
 * restart's report cannot start another restart. {@link #recover} runs on the caller's thread and
 * may be called for different resources at once; the caller runs one recovery per resource at a
 * time ({@link RecoveryQueue}).
 */
public final class RecoveryRouter {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryRouter.class);

    /** Extension property by which an RTR file declares the alarms its type recovers from by a restart. */
    public static final String RECOVERY_EVENTS = "Recovery_events";

    /** The class of Vigil's own alarms. */
    public static final String VIGIL_CLASS = "vigil";

    /** A registered {@link AlarmRecovery} service with what it declares. */
    public record JavaRecovery(String type, List<String> events, AlarmRecovery service) {
        boolean handles(Alarm a) {
            return events.contains(a.alarmClass() + "/" + a.event()) || events.contains(a.alarmClass() + "/*");
        }
    }

    private final Supplier<Optional<ResourceGroupManager>> rgm;
    private final Supplier<Optional<ResourceTypeRegistry>> registry;
    private final Supplier<List<JavaRecovery>> javaRecoveries;
    private final Policies policies;
    private final BiFunction<AlarmRecord, Path, HandlerRun> programs;
    private final Consumer<Alarm> raise;
    private final Clock clock;
    private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();

    /**
     * @param rgm the RGM, when there is one
     * @param registry the type registry, when there is one
     * @param javaRecoveries the registered recovery services
     * @param policies the recovery policies
     * @param programs runs a recovery program for an alarm (checked, under the recovery timeout)
     * @param raise raises Vigil's own alarms
     * @param clock the time of TemporalRecovery's window
     */
    public RecoveryRouter(Supplier<Optional<ResourceGroupManager>> rgm, Supplier<Optional<ResourceTypeRegistry>> registry,
            Supplier<List<JavaRecovery>> javaRecoveries, Policies policies,
            BiFunction<AlarmRecord, Path, HandlerRun> programs, Consumer<Alarm> raise, Clock clock) {
        this.rgm = rgm;
        this.registry = registry;
        this.javaRecoveries = javaRecoveries;
        this.policies = policies;
        this.programs = programs;
        this.raise = raise;
        this.clock = clock;
    }

    /** What a resource's type offers for an alarm: a program, a service, or a declaration (a restart). */
    private record Means(Optional<Path> program, Optional<AlarmRecovery> service, boolean declared) {
    }

    /**
     * Whether an alarm calls for recovery at all: not class {@code vigil}, names a resource, and its
     * type recovers from it.
     *
     * @param alarm the alarm
     * @return whether {@link #recover} would act
     */
    public boolean applies(Alarm alarm) {
        return !alarm.alarmClass().equals(VIGIL_CLASS) && rgm.get()
                .flatMap(m -> m.resource(alarm.instance())).flatMap(r -> means(alarm, r)).isPresent();
    }

    /**
     * Recovers the resource an alarm names, if its type recovers from it; records each step in the
     * alarm's record.
     *
     * @param record the alarm
     */
    public void recover(AlarmRecord record) {
        Alarm alarm = record.alarm();
        if (alarm.alarmClass().equals(VIGIL_CLASS)) {
            return;
        }
        Optional<ResourceGroupManager> manager = rgm.get();
        Optional<ResourceInfo> resource = manager.flatMap(m -> m.resource(alarm.instance()));
        if (resource.isEmpty()) {
            return;
        }
        ResourceInfo r = resource.get();
        Optional<Means> means = means(alarm, r);
        if (means.isEmpty()) {
            return;
        }
        Policies.Effective policy = policies.effective(r.name());
        if (policy.notificationOnly()) {
            note(record, "notification-only", "policy NotificationOnly is on for " + r.name() + "; no recovery");
            return;
        }
        String why;
        if (!policy.localRecovery()) {
            why = "policy LocalRecovery is off";
        } else if (!temporalAllows(r.name(), policy)) {
            why = "TemporalRecovery allows " + policy.temporalLimit() + " local recoveries within "
                    + policy.temporalWindow() + ", all made";
        } else {
            long t0 = System.nanoTime();
            Optional<String> failure = local(record, r, means.get(), manager.get());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (failure.isEmpty()) {
                record.add(new HandlerRun("recovery", "recovered", 0, ms, "resource " + r.name() + " recovered locally"));
                LOG.info("Alarm {} ({}): resource {} recovered locally", record.sequence(), alarm, r.name());
                return;
            }
            why = "local recovery failed: " + failure.get();
            record.add(new HandlerRun("recovery", "local-failed", -1, ms, failure.get()));
        }
        if (!policy.failover()) {
            note(record, "no-failover", why + "; policy Failover is off, so group " + r.group() + " stays");
            raise.accept(vigilAlarm("recovery_failed", r, why + "; Failover is off"));
            return;
        }
        String reason = "alarm " + alarm.alarmClass() + "/" + alarm.event() + " for " + r.name() + ": " + why;
        try {
            manager.get().giveover(r.group(), reason);
            note(record, "giveover", "group " + r.group() + " given over (" + why + ")");
        } catch (RgmException e) {
            note(record, "failover-refused", "giveover of group " + r.group() + " refused: " + e.getMessage());
            raise.accept(vigilAlarm("failover_refused", r, "giveover of group " + r.group() + " refused: "
                    + e.getMessage()));
        }
    }

    private Optional<Means> means(Alarm alarm, ResourceInfo r) {
        Optional<ResourceTypeInfo> type = registry.get().flatMap(reg -> reg.find(r.type()));
        Optional<Path> program = type.filter(t -> !t.rtBasedir().isEmpty())
                .map(t -> Path.of(t.rtBasedir(), "recovery", alarm.alarmClass(), alarm.event()))
                .filter(Files::exists);
        Optional<AlarmRecovery> service = javaRecoveries.get().stream()
                .filter(j -> j.type().equalsIgnoreCase(r.type()) && j.handles(alarm))
                .map(JavaRecovery::service).findFirst();
        boolean declared = r.properties().has(RECOVERY_EVENTS) && r.properties().getStringArray(RECOVERY_EVENTS).stream()
                .map(String::trim).anyMatch(e -> e.equals(alarm.alarmClass() + "/" + alarm.event())
                        || e.equals(alarm.alarmClass() + "/*"));
        return program.isEmpty() && service.isEmpty() && !declared ? Optional.empty()
                : Optional.of(new Means(program, service, declared));
    }

    private boolean temporalAllows(String resource, Policies.Effective policy) {
        Deque<Instant> made = attempts.computeIfAbsent(resource, k -> new ArrayDeque<>());
        synchronized (made) {
            Instant now = clock.instant();
            if (policy.temporalLimit() > 0) {
                while (!made.isEmpty() && !made.peekFirst().isAfter(now.minus(policy.temporalWindow()))) {
                    made.removeFirst();
                }
                if (made.size() >= policy.temporalLimit()) {
                    return false;
                }
            }
            made.addLast(now);
            while (made.size() > 1000) {
                made.removeFirst();
            }
            return true;
        }
    }

    /** @return empty when recovered, else why not */
    private Optional<String> local(AlarmRecord record, ResourceInfo r, Means means, ResourceGroupManager manager) {
        if (means.program().isPresent()) {
            HandlerRun run = programs.apply(record, means.program().get());
            record.add(new HandlerRun(run.handler(), run.status(), run.exitCode(), run.durationMillis(), run.message()));
            return run.status().equals("ok") ? Optional.empty()
                    : Optional.of("recovery program " + run.handler() + " " + run.status()
                            + (run.exitCode() >= 0 ? " (exit " + run.exitCode() + ")" : "")
                            + (run.message().isEmpty() ? "" : ": " + run.message()));
        }
        if (means.service().isEmpty()) {
            return restart(r, manager); // declared in the RTR file: recovered by a restart
        }
        AlarmRecovery.Outcome outcome;
        try {
            outcome = means.service().get().recover(record.alarm(), r.name());
        } catch (Exception e) {
            LOG.warn("Recovery of {} by {} failed: {}", r.name(), means.service().get(), e.toString());
            return Optional.of("recovery service threw " + e);
        }
        switch (outcome == null ? AlarmRecovery.Outcome.FAILED : outcome) {
            case RECOVERED:
                return Optional.empty();
            case RESTART:
                return restart(r, manager);
            default:
                return Optional.of("recovery service reported FAILED");
        }
    }

    /** @return empty when the restart left the resource online, else why not */
    private static Optional<String> restart(ResourceInfo r, ResourceGroupManager manager) {
        try {
            ResourceInfo after = manager.restartResource(r.name());
            return after.state() == ResourceState.ONLINE || after.state() == ResourceState.ONLINE_NOT_MONITORED
                    ? Optional.empty() : Optional.of("restart left " + r.name() + " " + after.state());
        } catch (RgmException e) {
            return Optional.of("restart of " + r.name() + " refused: " + e.getMessage());
        }
    }

    private static void note(AlarmRecord record, String status, String message) {
        LOG.info("Alarm {} ({}): {}", record.sequence(), record.alarm(), message);
        record.add(new HandlerRun("recovery", status, -1, 0, message));
    }

    private static Alarm vigilAlarm(String event, ResourceInfo r, String text) {
        return Alarm.builder(VIGIL_CLASS, event).monitor("vigil-events").instance(r.name())
                .attribute(AlarmEvents.OBJECT_CLASS, "resource").attribute(AlarmEvents.SEVERITY, "ERROR")
                .attribute(AlarmEvents.PROBLEM_TEXT, text).build();
    }
}
