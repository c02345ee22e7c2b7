package io.vigil.rgm.engine;

import io.vigil.api.type.Method;
import io.vigil.api.type.MethodContext;
import io.vigil.api.type.MethodResult;
import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import io.vigil.api.type.ResourceType;
import io.vigil.api.type.ValidateMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a Java type's method on a worker thread under its timeout. A method that overruns is
 * interrupted and counted as failed, whatever it returns later.
 */
final class JavaMethodRunner implements MethodRunner {

    private final ExecutorService workers;
    private final Clock clock;

    JavaMethodRunner(ExecutorService workers, Clock clock) {
        this.workers = workers;
        this.clock = clock;
    }

    @Override
    public CallResult run(MethodCall call) {
        ResourceType impl = call.type().java().orElseThrow(() -> new IllegalArgumentException(call.type().name()
                + " is not a Java type"));
        Instant deadline = clock.instant().plus(call.timeout());
        Future<MethodResult> f = workers.submit(() -> impl.call(call.method(), new Context(call, deadline, clock)));
        try {
            MethodResult r = f.get(call.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                return CallResult.failed(call.describe() + " returned no result");
            }
            return r.isSuccess() ? CallResult.OK : CallResult.failed("exit " + r.exitCode() + ": " + r.message());
        } catch (TimeoutException e) {
            f.cancel(true);
            return CallResult.failed("timed out after " + call.timeout().toSeconds() + "s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return CallResult.failed("failed: " + cause);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return CallResult.failed("interrupted");
        }
    }

    /** The context a Java method sees: its call's facts and its deadline. */
    private static final class Context implements MethodContext {
        private final MethodCall call;
        private final Instant deadline;
        private final Clock clock;

        Context(MethodCall call, Instant deadline, Clock clock) {
            this.call = call;
            this.deadline = deadline;
            this.clock = clock;
        }

        @Override
        public Method method() {
            return call.method();
        }

        @Override
        public String resourceName() {
            return call.resource();
        }

        @Override
        public String resourceTypeName() {
            return call.type().name();
        }

        @Override
        public String resourceGroupName() {
            return call.group();
        }

        @Override
        public PropertyValues properties() {
            return call.properties();
        }

        @Override
        public PropertyValues groupProperties() {
            return call.groupProperties();
        }

        @Override
        public Optional<ValidateMode> validateMode() {
            return call.validateMode();
        }

        @Override
        public Set<String> changedProperties() {
            return call.changed();
        }

        @Override
        public Duration timeLeft() {
            Duration left = Duration.between(clock.instant(), deadline);
            return left.isNegative() ? Duration.ZERO : left;
        }

        @Override
        public void setStatus(ResourceStatus status, String message) {
            call.status().accept(status, message == null ? "" : message);
        }
    }
}
