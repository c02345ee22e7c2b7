package io.vigil.types.xfnts;

import io.vigil.api.pmf.PmfException;
import io.vigil.api.pmf.PmfListener;
import io.vigil.api.pmf.ProcessMonitor;
import io.vigil.api.pmf.ProcessSpec;
import io.vigil.api.pmf.TagStatus;
import io.vigil.api.probe.FaultMonitors;
import io.vigil.api.type.Method;
import io.vigil.api.type.MethodContext;
import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import io.vigil.api.type.ValidateMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Fakes of the services SUNW.xfnts uses, recording every call in one list, and a method context. */
final class Fakes {

    /** Every call made on the fakes, in order, e.g. {@code pmf.stop g1,r1,0.svc 15 PT54S}. */
    final List<String> calls = new ArrayList<>();

    final Pmf pmf = new Pmf();
    final Monitors monitors = new Monitors();

    /** A PMF that keeps its tags in a map; an operation named in {@link #failures} throws its message. */
    final class Pmf implements ProcessMonitor {
        final Map<String, TagStatus> tags = new TreeMap<>();
        final List<ProcessSpec> started = new ArrayList<>();
        /** Operation ({@code start}, {@code stop}, {@code signal}, {@code modify}) to the message it fails with. */
        final Map<String, String> failures = new TreeMap<>();

        private void fail(String operation) throws PmfException {
            if (failures.containsKey(operation)) {
                throw new PmfException(failures.get(operation));
            }
        }

        @Override
        public TagStatus start(ProcessSpec spec) throws PmfException {
            calls.add("pmf.start " + spec.tag());
            fail("start");
            started.add(spec);
            TagStatus s = new TagStatus(spec, List.of(4242L), 0, Instant.EPOCH, TagStatus.State.RUNNING);
            tags.put(spec.tag(), s);
            return s;
        }

        @Override
        public boolean stop(String tag, int signal, Duration timeout) throws PmfException {
            calls.add("pmf.stop " + tag + " " + signal + " " + timeout);
            fail("stop");
            return tags.remove(tag) != null;
        }

        @Override
        public void signal(String tag, int signal) throws PmfException {
            calls.add("pmf.signal " + tag + " " + signal);
            fail("signal");
        }

        @Override
        public void modify(String tag, int retries, Duration period) throws PmfException {
            calls.add("pmf.modify " + tag + " " + retries + " " + period);
            fail("modify");
        }

        @Override
        public Optional<TagStatus> status(String tag) {
            return Optional.ofNullable(tags.get(tag));
        }

        @Override
        public List<TagStatus> list() {
            return List.copyOf(tags.values());
        }

        @Override
        public AutoCloseable addListener(String tagPrefix, PmfListener listener) {
            throw new UnsupportedOperationException("SUNW.xfnts leaves process deaths to the fault monitor");
        }
    }

    /** Fault monitors that answer {@link #awaitService} with {@link #wait}. */
    final class Monitors implements FaultMonitors {
        final Set<String> running = new java.util.TreeSet<>();
        ServiceWait wait = new ServiceWait(true, "connected");
        RuntimeException startFailure;
        RuntimeException waitFailure;
        boolean interruptWait;

        @Override
        public void start(String resource, String probe) {
            calls.add("fm.start " + resource + " " + probe);
            if (startFailure != null) {
                throw startFailure;
            }
            running.add(resource);
        }

        @Override
        public ServiceWait awaitService(String resource, String probe, Duration timeout) throws InterruptedException {
            calls.add("fm.awaitService " + resource + " " + probe + " " + timeout);
            if (interruptWait) {
                throw new InterruptedException();
            }
            if (waitFailure != null) {
                throw waitFailure;
            }
            return wait;
        }

        @Override
        public void stop(String resource) {
            calls.add("fm.stop " + resource);
            running.remove(resource);
        }

        @Override
        public boolean isRunning(String resource) {
            return running.contains(resource);
        }

        @Override
        public List<ProbeRecordView> history(String resource) {
            return List.of();
        }
    }

    /** A call of a method on resource r1 of group g1 with 60 s left. */
    static MethodContext context(Method method, Map<String, String> properties) {
        return new MethodContext() {
            @Override public Method method() { return method; }
            @Override public String resourceName() { return "r1"; }
            @Override public String resourceTypeName() { return "SUNW.xfnts"; }
            @Override public String resourceGroupName() { return "g1"; }
            @Override public PropertyValues properties() { return PropertyValues.of(properties); }
            @Override public PropertyValues groupProperties() { return PropertyValues.empty(); }
            @Override public Optional<ValidateMode> validateMode() {
                return method == Method.VALIDATE ? Optional.of(ValidateMode.CREATE) : Optional.empty();
            }
            @Override public Set<String> changedProperties() { return Set.of(); }
            @Override public Duration timeLeft() { return Duration.ofSeconds(60); }
            @Override public void setStatus(ResourceStatus status, String message) {
                throw new AssertionError("SUNW.xfnts leaves Status to the RGM and the fault monitor");
            }
        };
    }
}
