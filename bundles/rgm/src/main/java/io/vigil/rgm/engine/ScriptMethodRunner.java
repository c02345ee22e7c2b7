package io.vigil.rgm.engine;

import io.vigil.api.type.Method;
import io.vigil.api.type.ValidateMode;
import io.vigil.rgm.exec.MethodCommand;
import io.vigil.rgm.exec.MethodOutcome;
import io.vigil.rgm.exec.MethodRefusedException;
import io.vigil.rgm.exec.ProcessRunner;
import io.vigil.rgm.exec.ProgramCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a script type's method program: checks it, builds {@code method -R res -T type -G group}
 * (or Validate's {@code -c}/{@code -u} form), runs it in its own session under its timeout and
 * logs its output tagged with resource and method.
 */
final class ScriptMethodRunner implements MethodRunner {

    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.rgm.method");

    private final ProcessRunner processes;
    private final long agentUid;
    private final Duration killGrace;
    private final Optional<Path> vigilHome;

    /**
     * @param processes runs the programs
     * @param agentUid the uid allowed to own method programs besides root
     * @param killGrace between SIGTERM and SIGKILL on a timeout
     * @param vigilHome the distribution, whose bin/ (scha_* commands) method programs find first
     *     on their PATH, as Sun Cluster agents find /usr/cluster/bin
     */
    ScriptMethodRunner(ProcessRunner processes, long agentUid, Duration killGrace, Optional<Path> vigilHome) {
        this.processes = processes;
        this.agentUid = agentUid;
        this.killGrace = killGrace;
        this.vigilHome = vigilHome;
    }

    @Override
    public CallResult run(MethodCall call) {
        String declared = call.type().rtr().resolveMethod(call.method()).orElse(null);
        if (declared == null) {
            return CallResult.failed(call.method().rtrName() + " is not declared by " + call.type().name());
        }
        Path program = Path.of(declared);
        if (!program.isAbsolute()) {
            return CallResult.failed("method program " + declared + " is relative and " + call.type().name()
                    + " has no RT_basedir; expected an absolute path");
        }
        try {
            ProgramCheck.check(program, agentUid);
        } catch (MethodRefusedException e) {
            return CallResult.failed("refused to run: " + e.getMessage());
        }
        MethodCommand command = command(call, program);
        String tag = "[" + call.resource() + " " + call.method().rtrName() + "] ";
        try {
            Map<String, String> env = new LinkedHashMap<>(command.environment());
            vigilHome.ifPresent(home -> {
                env.put("VIGIL_HOME", home.toString());
                env.put("PATH", home.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            });
            MethodOutcome outcome = processes.run(command.argv(), env, null, call.timeout(), killGrace,
                    line -> LOG.info("{}{}", tag, line));
            return outcome.succeeded() ? CallResult.OK : CallResult.failed(outcome.describe());
        } catch (IOException e) {
            return CallResult.failed("could not run " + program + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CallResult.failed("interrupted; its process tree was killed");
        }
    }

    private static MethodCommand command(MethodCall call, Path program) {
        Map<String, String> system = new LinkedHashMap<>();
        Map<String, String> extension = new LinkedHashMap<>();
        call.properties().asMap().forEach((k, v) -> (call.extensionNames().contains(k) ? extension : system).put(k, v));
        MethodCommand.PropertyValues all = new MethodCommand.PropertyValues(system, extension,
                call.groupProperties().asMap());
        String type = call.type().name();
        if (call.method() != Method.VALIDATE) {
            return MethodCommand.call(program, call.method(), call.resource(), type, call.group(), all);
        }
        if (call.validateMode().orElse(ValidateMode.CREATE) == ValidateMode.CREATE) {
            return MethodCommand.validateCreate(program, call.resource(), type, call.group(), all);
        }
        Map<String, String> changedSystem = new LinkedHashMap<>();
        Map<String, String> changedExtension = new LinkedHashMap<>();
        for (String name : call.changed()) {
            call.properties().find(name).ifPresent(v -> (call.extensionNames().contains(name) ? changedExtension
                    : changedSystem).put(name, v));
        }
        return MethodCommand.validateUpdate(program, call.resource(), type, call.group(), all,
                new MethodCommand.PropertyValues(changedSystem, changedExtension, Map.of()));
    }
}
