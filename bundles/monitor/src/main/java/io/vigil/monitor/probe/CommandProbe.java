package io.vigil.monitor.probe;

import io.vigil.api.command.CommandLine;
import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeContext;
import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.PropertyValues;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code command} probe: runs a command with a timeout, like the DSDL's {@code scds_timerun},
 * and scores its exit code.
 *
 * <p>The command is the extension property {@code Probe_command}, split into words as a shell
 * splits a simple command line (quotes and backslashes; no expansion, redirection or pipeline:
 * write {@code sh -c '...'} for those). The command runs in its own session with {@code /} as
 * working directory, stdin from {@code /dev/null} and an environment of
 * {@code PATH=/usr/sbin:/usr/bin:/sbin:/bin}, {@code LANG=C}, {@code VIGIL_RESOURCE} and
 * {@code VIGIL_GROUP}.
 *
 * <p>Scores: exit 0 healthy, 100 complete failure, 201 fail over now; any other exit, death by a
 * signal included, scores the extension property {@code Probe_failure_score} (0..100 or 201,
 * default 100). The command may use 95% of the time left; past that, its whole session is sent
 * the extension property {@code Probe_kill_signal} (a signal name such as {@code TERM}, as
 * {@code scds_timerun}'s {@code signal}; default {@code KILL}), what is left of it gets SIGKILL
 * once the rest of the time left has passed, and the score is 100, with a message saying it timed
 * out. No time left at all scores 50, as for {@code tcp}. The message names the command, its exit
 * and the last line of its output.
 */
@Component(service = Probe.class, property = Probe.NAME + "=" + CommandProbe.NAME)
public final class CommandProbe implements Probe {

    /** The probe's name. */
    public static final String NAME = "command";
    /** Extension property: the command line. */
    public static final String PROBE_COMMAND = "Probe_command";
    /** Extension property: the score of an exit other than 0, 100 and 201. */
    public static final String PROBE_FAILURE_SCORE = "Probe_failure_score";
    /** Extension property: the signal sent to a command that runs past its time, by name; default KILL. */
    public static final String PROBE_KILL_SIGNAL = "Probe_kill_signal";

    private static final Map<String, String> BASE_ENVIRONMENT =
            Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C");

    @Override
    public ProbeResult probe(ProbeContext context) throws InterruptedException {
        PropertyValues p = context.properties();
        List<String> argv;
        int otherExitScore;
        KillSignal killSignal;
        try {
            String line = p.find(PROBE_COMMAND).orElseThrow(() -> new IllegalArgumentException(
                    context.resourceName() + " has no " + PROBE_COMMAND + "; expected the command line to run"));
            try {
                argv = CommandLine.split(line);
            } catch (CommandLine.InvalidCommandLine e) {
                throw new IllegalArgumentException(PROBE_COMMAND + " = " + e.getMessage(), e);
            }
            otherExitScore = failureScore(p);
            killSignal = p.find(PROBE_KILL_SIGNAL).filter(v -> !v.isBlank())
                    .map(v -> KillSignal.parse(PROBE_KILL_SIGNAL, v)).orElse(KillSignal.KILL);
        } catch (IllegalArgumentException e) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, e.getMessage());
        }
        Map<String, String> env = new LinkedHashMap<>(BASE_ENVIRONMENT);
        env.put("VIGIL_RESOURCE", context.resourceName());
        env.put("VIGIL_GROUP", context.resourceGroupName());
        return run(argv, env, context.timeLeft(), otherExitScore, killSignal);
    }

    /**
     * Runs a command and scores how it ended.
     *
     * @param argv the program and its arguments
     * @param env the command's whole environment
     * @param timeLeft the time left before {@code Probe_timeout}; the command may use 95% of it, and
     *     with a kill signal other than KILL the rest is its grace period before SIGKILL
     * @param otherExitScore the score of an exit other than 0, 100 and 201: 0..100 or 201
     * @param killSignal what the command's session is sent when it runs past its time
     * @return the score and a message
     * @throws InterruptedException when the calling thread was interrupted (the command's session
     *     is killed first)
     */
    static ProbeResult run(List<String> argv, Map<String, String> env, Duration timeLeft, int otherExitScore,
            KillSignal killSignal) throws InterruptedException {
        String what = String.join(" ", argv);
        Optional<Duration> budget = Probes.budget(timeLeft);
        if (budget.isEmpty()) {
            return ProbeResult.failure(TcpProbe.PARTIAL_FAILURE, "no time left to run " + what);
        }
        return run(argv, env, budget.get(), timeLeft.minus(budget.get()), otherExitScore, killSignal);
    }

    /**
     * Runs a command for at most {@code budget}, then sends its session {@code killSignal} and,
     * with another signal than KILL, SIGKILL to what is left after {@code grace}; scores how it ended.
     */
    static ProbeResult run(List<String> argv, Map<String, String> env, Duration budget, Duration grace,
            int otherExitScore, KillSignal killSignal) throws InterruptedException {
        String what = String.join(" ", argv);
        SessionCommand.Outcome outcome;
        try {
            outcome = SessionCommand.run(argv, env, budget, killSignal, grace);
        } catch (IOException e) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "cannot run " + what + ": " + Probes.describe(e));
        }
        String output = outcome.lastLine().isEmpty() ? "" : ": " + outcome.lastLine();
        if (outcome.timedOut()) {
            String ended = killSignal == KillSignal.KILL
                    ? "killed " + outcome.killed() + " processes with SIGKILL"
                    : "sent " + killSignal.displayName() + " to " + outcome.signalled() + " processes"
                            + (outcome.killed() == 0 ? "" : ", then SIGKILL to " + outcome.killed()
                                    + " still running after " + Probes.millis(grace));
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, what + " timed out after "
                    + Probes.millis(budget) + "; " + ended + output);
        }
        int code = outcome.exitCode();
        switch (code) {
            case 0:
                return new ProbeResult(ProbeResult.HEALTHY, what + " exited 0" + output);
            case ProbeResult.COMPLETE_FAILURE:
                return ProbeResult.failure(code, what + " exited 100 (complete failure)" + output);
            case ProbeResult.IMMEDIATE_FAILOVER:
                return ProbeResult.failure(code, what + " exited 201 (fail over now)" + output);
            default:
                String exit = code > 128 && code <= 128 + 64 ? " was killed by signal " + (code - 128)
                        : " exited " + code;
                return new ProbeResult(otherExitScore, what + exit + output);
        }
    }

    private static int failureScore(PropertyValues p) {
        if (!p.has(PROBE_FAILURE_SCORE)) {
            return ProbeResult.COMPLETE_FAILURE;
        }
        int score = p.getInt(PROBE_FAILURE_SCORE);
        if (!(score >= 0 && score <= ProbeResult.COMPLETE_FAILURE) && score != ProbeResult.IMMEDIATE_FAILOVER) {
            throw new IllegalArgumentException(PROBE_FAILURE_SCORE + " = " + score
                    + " is out of range; expected 0..100, or 201 to fail over now");
        }
        return score;
    }
}
