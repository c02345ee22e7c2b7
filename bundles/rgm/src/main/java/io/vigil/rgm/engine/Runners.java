package io.vigil.rgm.engine;

import io.vigil.rgm.exec.MethodCommand;
import io.vigil.rgm.exec.MethodOutcome;
import io.vigil.rgm.exec.ProcessRunner;
import io.vigil.rgm.exec.ProgramCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Dispatches a method call to the Java or the script runner, by the kind of its type. */
final class Runners implements MethodRunner, AutoCloseable {

    private final ExecutorService javaWorkers;
    private final MethodRunner java;
    private final MethodRunner script;

    Runners(ExecutorService javaWorkers, MethodRunner java, MethodRunner script) {
        this.javaWorkers = javaWorkers;
        this.java = java;
        this.script = script;
    }

    static Runners create(int javaThreads, Duration killGrace, java.util.Optional<Path> vigilHome) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(javaThreads, r -> {
            Thread t = new Thread(r, "rgm-java-method-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new Runners(workers, new JavaMethodRunner(workers, Clock.systemUTC()),
                new ScriptMethodRunner(new ProcessRunner(), ProgramCheck.currentUid(), killGrace, vigilHome));
    }

    @Override
    public CallResult run(MethodCall call) {
        return call.type().java().isPresent() ? java.run(call) : script.run(call);
    }

    /** Runs an operator-configured command (the fence command) with a five-minute limit. */
    static CallResult runCommand(List<String> argv) {
        try {
            MethodOutcome o = new ProcessRunner().run(argv, MethodCommand.BASE_ENVIRONMENT, Path.of("/"),
                    Duration.ofMinutes(5), Duration.ofSeconds(10), null);
            return o.succeeded() ? CallResult.OK : CallResult.failed(o.describe());
        } catch (IOException e) {
            return CallResult.failed(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CallResult.failed("interrupted");
        }
    }

    @Override
    public void close() {
        javaWorkers.shutdownNow();
    }
}
