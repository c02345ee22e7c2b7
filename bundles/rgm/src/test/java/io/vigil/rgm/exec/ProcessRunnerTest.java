package io.vigil.rgm.exec;

import io.vigil.api.command.ProcStat;
import static io.vigil.rgm.exec.Scripts.lines;
import static io.vigil.rgm.exec.Scripts.pids;
import static io.vigil.rgm.exec.Scripts.q;
import static io.vigil.rgm.exec.Scripts.running;
import static io.vigil.rgm.exec.Scripts.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.type.Method;
import io.vigil.rgm.exec.MethodCommand.PropertyValues;
import io.vigil.rgm.exec.MethodOutcome.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessRunnerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Long enough for a script to fork its tree and say ready on a loaded machine. */
    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration GRACE = Duration.ofMillis(300);

    @TempDir
    Path tmp;

    private Path dir;
    /**
     * Waits up to 10 s for the end of output after a program exits: where nothing holds the output
     * the end comes at once, and a loaded machine may be slow to read the last lines. Tests of
     * daemons that hold it make their own runner.
     */
    private final ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(10));
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<Long> sessionsToKill = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        dir = tmp.toRealPath();
    }

    @AfterEach
    void killLeftovers() {
        for (long s : sessionsToKill) {
            ProcessRunner.killSession(s, Duration.ZERO);
        }
    }

    private MethodOutcome run(MethodCommand c) throws Exception {
        return runner.run(c, dir, TIMEOUT, GRACE, output::add);
    }

    private MethodOutcome run(Path program, Duration timeout, Consumer<String> sink) throws Exception {
        return runner.run(List.of(program.toString()), MethodCommand.BASE_ENVIRONMENT, dir, timeout, GRACE, sink);
    }

    private static Map<String, String> ordered(String... kv) {
        return MethodCommandTest.ordered(kv);
    }

    private Path argvRecorder(Path out) {
        return script(dir, "method", "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + q(out));
    }

    // --- arguments and environment -------------------------------------------------------------

    @Test
    void aMethodReceivesResourceTypeAndGroup() throws Exception {
        Path out = dir.resolve("argv");
        MethodCommand c = MethodCommand.call(argvRecorder(out), Method.START, "web rs", "SUNW.apache", "web-rg",
                MethodCommandTest.sample());
        MethodOutcome o = run(c);
        assertEquals("exit 0", o.describe());
        assertEquals(List.of("-R", "web rs", "-T", "SUNW.apache", "-G", "web-rg"), lines(out));
    }

    @Test
    void validateCreateReceivesEveryProperty() throws Exception {
        Path out = dir.resolve("argv");
        PropertyValues all = new PropertyValues(
                ordered("Start_timeout", "300", "R_description", "Apache web server", "Port_list", "80/tcp,443/tcp"),
                ordered("Confdir_list", "/etc/apache 2", "Env", "A=1 B=2", "Empty", ""),
                ordered("Nodelist", "n1,n2", "Failback", "FALSE"));
        MethodOutcome o = run(MethodCommand.validateCreate(argvRecorder(out), "web-rs", "SUNW.apache", "web-rg", all));
        assertTrue(o.succeeded(), o.describe());
        assertEquals(List.of("-c", "-R", "web-rs", "-T", "SUNW.apache", "-G", "web-rg",
                "-r", "Start_timeout=300", "-r", "R_description=Apache web server", "-r", "Port_list=80/tcp,443/tcp",
                "-x", "Confdir_list=/etc/apache 2", "-x", "Env=A=1 B=2", "-x", "Empty=",
                "-g", "Nodelist=n1,n2", "-g", "Failback=FALSE"), lines(out));
    }

    @Test
    void validateUpdateReceivesOnlyTheChangedProperties() throws Exception {
        Path out = dir.resolve("argv");
        PropertyValues changed = new PropertyValues(ordered("Retry_count", "4", "Retry_interval", "600"),
                ordered("Options", "-f /etc/x y=z"), ordered("Pingpong_interval", "60"));
        MethodOutcome o = run(MethodCommand.validateUpdate(argvRecorder(out), "web-rs", "SUNW.apache", "web-rg",
                MethodCommandTest.sample(), changed));
        assertTrue(o.succeeded(), o.describe());
        assertEquals(List.of("-u", "-R", "web-rs", "-T", "SUNW.apache", "-G", "web-rg",
                "-r", "Retry_count=4", "-r", "Retry_interval=600", "-x", "Options=-f /etc/x y=z",
                "-g", "Pingpong_interval=60"), lines(out));
    }

    @Test
    void validateArgumentsParseWithSunsGetoptsString() throws Exception {
        // the option string of Sun's sample Validate method
        Path out = dir.resolve("parsed");
        Path p = script(dir, "validate", "while getopts 'cur:x:g:R:T:G:' opt; do\n"
                + "  printf '%s %s\\n' \"$opt\" \"$OPTARG\"\n"
                + "done > " + q(out));
        PropertyValues changed = new PropertyValues(ordered("Start_timeout", "600"), ordered("Msg", "a -r b"),
                Map.of());
        assertTrue(run(MethodCommand.validateUpdate(p, "r1", "T.t", "g1", PropertyValues.empty(), changed))
                .succeeded());
        assertEquals(List.of("u ", "R r1", "T T.t", "G g1", "r Start_timeout=600", "x Msg=a -r b"), lines(out));
    }

    @Test
    void theProgramGetsExactlyTheGivenEnvironmentInItsOwnSessionAndWorkDir() throws Exception {
        Path env = dir.resolve("environ");
        Path info = dir.resolve("info");
        Path work = Files.createDirectory(dir.resolve("work"));
        Path p = script(dir, "method", "cat /proc/$$/environ > " + q(env) + "\n"
                + "echo $$ > " + q(info) + "\n"
                + "cut -d')' -f2 /proc/$$/stat | awk '{print $4}' >> " + q(info) + "\n"
                + "pwd >> " + q(info));
        MethodCommand c = MethodCommand.validateUpdate(p, "web-rs", "SUNW.apache", "web-rg",
                MethodCommandTest.sample(), new PropertyValues(Map.of(), ordered("Options", "new value"), Map.of()));
        MethodOutcome o = runner.run(c, work, TIMEOUT, GRACE, output::add);
        assertTrue(o.succeeded(), o.describe() + " " + o.lastLines());

        Map<String, String> received = new LinkedHashMap<>();
        for (String kv : Files.readString(env, StandardCharsets.UTF_8).split("\0")) {
            int eq = kv.indexOf('=');
            received.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        assertEquals(new HashMap<>(c.environment()), new HashMap<>(received));
        assertEquals("new value", received.get("VIGIL_X_OPTIONS"));
        assertEquals("Validate", received.get("VIGIL_METHOD"));
        assertFalse(received.containsKey("HOME"), "the agent's environment leaked: " + received.keySet());

        List<String> facts = lines(info);
        assertEquals(Long.toString(o.pid()), facts.get(0), "the program keeps the pid of the launched process");
        assertEquals(facts.get(0), facts.get(1), "the program leads its own session");
        assertEquals(work.toString(), facts.get(2));
    }

    // --- how it ends ---------------------------------------------------------------------------

    @Test
    void reportsExitCodesWithTheLastOutputLine() throws Exception {
        MethodOutcome ok = run(script(dir, "ok", "echo fine"), TIMEOUT, output::add);
        assertEquals(Kind.EXITED, ok.kind());
        assertEquals("exit 0", ok.describe());
        assertTrue(ok.succeeded());

        MethodOutcome three = run(script(dir, "three", "echo checking\necho 'config /etc/x missing' >&2\nexit 3"),
                TIMEOUT, output::add);
        assertEquals(3, three.exitCode().getAsInt());
        assertEquals("exit 3: config /etc/x missing", three.describe());
        assertEquals(List.of("checking", "config /etc/x missing"), three.lastLines());

        assertEquals("exit 255", run(script(dir, "ff", "exit 255"), TIMEOUT, output::add).describe());
    }

    @Test
    void aProgramThatCannotBeExecutedIsReportedBySetsid() throws Exception {
        MethodOutcome o = run(dir.resolve("missing"), TIMEOUT, output::add);
        assertEquals(127, o.exitCode().getAsInt(), o.lastLines().toString());
        assertTrue(o.describe().startsWith("exit 127: setsid: failed to execute"), o.describe());
    }

    @Test
    void reportsTheSignalThatKilledTheProgram() throws Exception {
        MethodOutcome killed = run(script(dir, "kill9", "echo about to die\nkill -KILL $$"), TIMEOUT, output::add);
        assertEquals(Kind.SIGNALED, killed.kind());
        assertEquals(9, killed.signal().getAsInt());
        assertEquals("killed by signal 9 (KILL)", killed.describe());
        assertEquals(List.of("about to die"), killed.lastLines());

        MethodOutcome segv = run(script(dir, "segv", "kill -SEGV $$"), TIMEOUT, output::add);
        assertEquals("killed by signal 11 (SEGV)", segv.describe());
    }

    // --- output --------------------------------------------------------------------------------

    @Test
    void deliversStdoutAndStderrLinesInOrder() throws Exception {
        Path p = script(dir, "chatty", "i=1\nwhile [ $i -le 100 ]; do\n  echo \"out $i\"\n  echo \"err $i\" >&2\n"
                + "  i=$((i+1))\ndone\nprintf 'no newline at the end'");
        MethodOutcome o = run(p, TIMEOUT, output::add);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            expected.add("out " + i);
            expected.add("err " + i);
        }
        expected.add("no newline at the end");
        assertEquals(expected, output);
        assertEquals(expected.subList(expected.size() - ProcessRunner.OUTPUT_LINES_KEPT, expected.size()),
                o.lastLines());
    }

    @Test
    void deliversLinesWhileTheProgramRuns() throws Exception {
        Path go = dir.resolve("go");
        Path p = script(dir, "waiter", "echo first\nwhile [ ! -e " + q(go) + " ]; do sleep 0.02; done\necho second");
        MethodOutcome o = run(p, Duration.ofSeconds(5), line -> {
            output.add(line);
            if (line.equals("first")) {
                try {
                    Files.createFile(go); // the program goes on only once it was seen
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        assertEquals("exit 0", o.describe());
        assertEquals(List.of("first", "second"), output);
    }

    // --- daemons and timeouts ------------------------------------------------------------------

    @Test
    void aStartMethodThatLeavesADaemonReturnsAtOnceAndTheDaemonLives() throws Exception {
        Path pidFile = dir.resolve("daemon.pid");
        // the daemon inherits stdout and stderr: nothing redirected
        Path p = script(dir, "start", "sleep 1000 &\necho $! > " + q(pidFile) + "\necho started");
        long t0 = System.nanoTime();
        // the daemon holds the output, so no end comes: the run waits out a drain long enough to read "started"
        MethodOutcome o = new ProcessRunner(Duration.ofSeconds(2)).run(List.of(p.toString()),
                MethodCommand.BASE_ENVIRONMENT, dir, Duration.ofSeconds(20), GRACE, output::add);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        sessionsToKill.add(o.pid());

        assertEquals("exit 0", o.describe());
        assertEquals(List.of("started"), output);
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "run waited for the daemon, until the timeout: " + took);
        long daemon = pids(pidFile).get(0);
        assertTrue(running(daemon), "the daemon was killed");
        assertEquals(o.pid(), ProcStat.read(daemon).orElseThrow().session());
        assertEquals(List.of(daemon), ProcessRunner.sessionProcesses(o.pid()).stream().map(ProcessHandle::pid)
                .toList());

        assertEquals(1, ProcessRunner.killSession(o.pid(), GRACE));
        assertFalse(running(daemon));
        assertTrue(ProcessRunner.sessionProcesses(o.pid()).isEmpty());
    }

    @Test
    void aDaemonWritingToItsInheritedStdoutAfterwardsIsNeitherKilledNorHeard() throws Exception {
        Path pidFile = dir.resolve("daemon.pid");
        Path done = dir.resolve("done");
        Path p = script(dir, "start", "( i=0; while [ $i -lt 30 ]; do echo tick $i; i=$((i+1)); sleep 0.02; done;"
                + " echo finished > " + q(done) + " ) &\n"
                + "echo $! > " + q(pidFile) + "\necho started");
        MethodOutcome o = new ProcessRunner().run(List.of(p.toString()), MethodCommand.BASE_ENVIRONMENT, dir, TIMEOUT,
                GRACE, output::add); // the default drain: the daemon's 0.6 s of ticks outlast it
        sessionsToKill.add(o.pid());
        assertEquals("exit 0", o.describe());
        int seenAtReturn = output.size();

        long daemon = pids(pidFile).get(0);
        ProcessHandle.of(daemon).ifPresent(h -> h.onExit().join()); // it ends by itself after its 30 ticks
        assertTrue(Files.exists(done), "the daemon died before finishing (SIGPIPE?)");
        assertEquals(List.of("finished"), lines(done));
        assertEquals(seenAtReturn, output.size(), "lines reached the consumer after run returned");
    }

    @Test
    void aTimeoutKillsTheWholeTreeIncludingDoubleForkedGrandchildren() throws Exception {
        Path pidFile = dir.resolve("pids");
        Path p = script(dir, "start", "P=" + q(pidFile) + "\n"
                + "echo $$ > \"$P\"\n"
                + "sleep 1000 &\n"
                + "echo $! >> \"$P\"\n"
                + "( sleep 1000 & echo $! >> \"$P\" )\n"        // double fork: the subshell exits at once
                + "( sleep 1000 & echo $! >> \"$P\" ) &\n"      // the same, in the background
                + "wait $!\n"
                + "echo ready\n"
                + "wait");
        Map<Long, Long> parentsAtReady = new HashMap<>();
        MethodOutcome o = runner.run(List.of(p.toString()), MethodCommand.BASE_ENVIRONMENT, dir, SHORT_TIMEOUT,
                GRACE, line -> {
                    output.add(line);
                    if (line.equals("ready")) {
                        for (long pid : pids(pidFile)) {
                            parentsAtReady.put(pid, ProcStat.read(pid).map(ProcStat::ppid).orElse(-1L));
                        }
                    }
                });
        sessionsToKill.add(o.pid());

        assertEquals(List.of("ready"), output, "the script did not get ready within the timeout");
        List<Long> tree = pids(pidFile);
        assertEquals(4, tree.size(), tree.toString());
        long script = tree.get(0);
        assertEquals(o.pid(), script);
        assertEquals(script, parentsAtReady.get(tree.get(1)));
        assertNotEquals(script, parentsAtReady.get(tree.get(2)), "grandchild 1 was not reparented");
        assertNotEquals(script, parentsAtReady.get(tree.get(3)), "grandchild 2 was not reparented");

        assertEquals(Kind.TIMED_OUT, o.kind());
        assertEquals("timed out after 3s; killed the process tree (4 processes)", o.describe());
        for (long pid : tree) {
            assertFalse(running(pid), "process " + pid + " survived");
        }
        assertTrue(ProcessRunner.sessionProcesses(o.pid()).isEmpty());
        assertTrue(o.duration().compareTo(SHORT_TIMEOUT) >= 0);
    }

    @Test
    void processesIgnoringSigtermGetSigkillAfterTheGrace() throws Exception {
        Path pidFile = dir.resolve("pids");
        Path p = script(dir, "stubborn", "trap '' TERM\n"   // ignored signals stay ignored in children
                + "echo $$ > " + q(pidFile) + "\n"
                + "( sleep 1000 & echo $! >> " + q(pidFile) + " )\n"
                + "echo ready\n"
                + "sleep 1000");
        MethodOutcome o = runner.run(List.of(p.toString()), MethodCommand.BASE_ENVIRONMENT, dir, SHORT_TIMEOUT,
                GRACE, output::add);
        sessionsToKill.add(o.pid());
        assertEquals(List.of("ready"), output);
        assertEquals("timed out after 3s; killed the process tree (3 processes)", o.describe());
        for (long pid : pids(pidFile)) {
            assertFalse(running(pid), "process " + pid + " survived");
        }
        assertTrue(o.duration().compareTo(SHORT_TIMEOUT.plus(GRACE)) >= 0, "SIGKILL came before the grace: "
                + o.duration());
    }

    @Test
    void anInterruptedRunKillsTheTreeAndThrows() throws Exception {
        Path pidFile = dir.resolve("pids");
        Path p = script(dir, "slow", "echo $$ > " + q(pidFile) + "\n( sleep 1000 & echo $! >> " + q(pidFile)
                + " )\necho ready\nsleep 1000");
        CountDownLatch ready = new CountDownLatch(1);
        CompletableFuture<Thread> caller = new CompletableFuture<>();
        CompletableFuture<MethodOutcome> result = CompletableFuture.supplyAsync(() -> {
            caller.complete(Thread.currentThread());
            try {
                return runner.run(List.of(p.toString()), MethodCommand.BASE_ENVIRONMENT, dir, Duration.ofSeconds(20),
                        GRACE, line -> {
                            if (line.equals("ready")) {
                                ready.countDown();
                            }
                        });
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, r -> {
            Thread t = new Thread(r, "interrupted-caller");
            t.start();
        });
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        caller.join().interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        List<Long> tree = pids(pidFile);
        sessionsToKill.add(tree.get(0));
        assertEquals(2, tree.size());
        for (long pid : tree) {
            assertFalse(running(pid), "process " + pid + " survived");
        }
    }

    // --- misuse --------------------------------------------------------------------------------

    @Test
    void failsClearlyWithoutSetsid() {
        ProcessRunner broken = new ProcessRunner(Path.of("/nonexistent/setsid"), Path.of("/usr/bin/mkfifo"),
                Duration.ofMillis(100));
        IOException e = assertThrows(IOException.class, () -> broken.run(List.of("/bin/true"),
                MethodCommand.BASE_ENVIRONMENT, dir, TIMEOUT, GRACE, null));
        assertEquals("cannot run method programs: /nonexistent/setsid is missing or not executable; expected setsid "
                + "from util-linux, which Vigil needs to run each method in its own session", e.getMessage());
    }

    @Test
    void failsClearlyWithoutTheWorkingDirectory() {
        IOException e = assertThrows(IOException.class, () -> runner.run(List.of("/bin/true"),
                MethodCommand.BASE_ENVIRONMENT, dir.resolve("nowhere"), TIMEOUT, GRACE, null));
        assertEquals("cannot run /bin/true: working directory " + dir.resolve("nowhere")
                + " does not exist; expected a directory", e.getMessage());
    }

    @Test
    void refusesToKillItsOwnSession() {
        long own = ProcStat.read(ProcessHandle.current().pid()).orElseThrow().session();
        assertThrows(IllegalArgumentException.class, () -> ProcessRunner.killSession(own, GRACE));
        assertThrows(IllegalArgumentException.class, () -> ProcessRunner.killSession(1, GRACE));
    }
}
