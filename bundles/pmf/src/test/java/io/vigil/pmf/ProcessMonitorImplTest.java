package io.vigil.pmf;

import io.vigil.api.command.ProcStat;
import static io.vigil.pmf.Fixtures.awaitNoSupervisor;
import static io.vigil.pmf.Fixtures.pidIn;
import static io.vigil.pmf.Fixtures.q;
import static io.vigil.pmf.Fixtures.script;
import static io.vigil.pmf.Fixtures.spec;
import static io.vigil.pmf.Fixtures.supervisors;
import static io.vigil.pmf.Fixtures.withAction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.pmf.PmfException;
import io.vigil.api.pmf.ProcessSpec;
import io.vigil.api.pmf.TagStatus;
import io.vigil.api.pmf.TagStatus.State;
import io.vigil.pmf.Fixtures.Death;
import io.vigil.pmf.Fixtures.Deaths;
import io.vigil.pmf.Fixtures.SettableClock;
import io.vigil.testing.Await;
import io.vigil.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessMonitorImplTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration STOP = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    private Path dir;
    private Path state;
    private final List<ProcessMonitorImpl> monitors = new ArrayList<>();
    private final List<Long> strays = new ArrayList<>();
    private final Deaths deaths = new Deaths();

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectory(tmp.toRealPath().resolve("work"));
        state = tmp.toRealPath().resolve("pmf");
    }

    @AfterEach
    void tearDown() {
        for (ProcessMonitorImpl m : monitors) {
            if (monitors.indexOf(m) == monitors.size() - 1) {
                for (TagStatus s : m.list()) {
                    try {
                        m.stop(s.tag(), 9, Duration.ZERO);
                    } catch (PmfException e) {
                        // reported by the test that caused it
                    }
                }
            }
            m.close();
        }
        strays.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private ProcessMonitorImpl monitor() throws IOException {
        return monitor(Clock.systemUTC());
    }

    private ProcessMonitorImpl monitor(Clock clock) throws IOException {
        ProcessMonitorImpl m = new ProcessMonitorImpl(state, clock, Await.PATIENCE);
        m.addListener("", deaths);
        monitors.add(m);
        return m;
    }

    /** A program that writes its pid to {@code name.pid} and then sleeps. */
    private ProcessSpec sleeper(String tag, int retries) {
        Path pid = dir.resolve(tag + ".pid");
        // Only shell built-ins before the exec: a helper process (mv, say) could still be in the tree
        // when a test reads the pid and compares the tree's pids with it.
        Path program = script(dir, tag + ".sh", "echo $$ > " + q(pid) + "\nexec sleep 1000");
        return spec(tag, dir, retries, WINDOW, -1, List.of(program.toString()));
    }

    private long programPid(String tag) {
        return pidIn(dir.resolve(tag + ".pid"));
    }

    /** Waits for the program of a tag to write a pid other than {@code old}, and returns it. */
    private long newProgramPid(String tag, long old) {
        Path file = dir.resolve(tag + ".pid");
        Await.until("a new program for " + tag, () -> {
            try {
                String text = Files.exists(file) ? Files.readString(file) : "";
                return text.endsWith("\n") && Long.parseLong(text.strip()) != old;
            } catch (IOException | NumberFormatException e) {
                return false;
            }
        });
        return programPid(tag);
    }

    /** Kills a tag's program, expects the restart to be reported, and returns the new program's pid. */
    private long killAndAwaitRestart(String tag, long pid, int restarts) {
        kill9(pid);
        assertEquals(new Death(tag, restarts, true), deaths.next());
        return newProgramPid(tag, pid);
    }

    private static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static TagStatus status(ProcessMonitorImpl m, String tag) {
        return m.status(tag).orElseThrow(() -> new AssertionError("tag " + tag + " is not supervised"));
    }

    // --- start, status, stop -------------------------------------------------------------------

    @Test
    void startsShowsAndStops() throws Exception {
        ProcessMonitorImpl m = monitor();
        TagStatus started = m.start(sleeper("web-rg,web,0.svc", 2));
        long pid = programPid("web-rg,web,0.svc");
        assertEquals(State.RUNNING, started.state());
        assertEquals(List.of(pid), status(m, "web-rg,web,0.svc").pids());
        assertEquals(0, started.restartsInWindow());
        assertEquals(List.of("web-rg,web,0.svc"), m.list().stream().map(TagStatus::tag).toList());
        assertTrue(Files.exists(state.resolve("tags/web-rg,web,0.svc.json")));
        assertThrows(PmfException.class, () -> m.start(sleeper("web-rg,web,0.svc", 2)), "already supervised");
        assertEquals(1, supervisors("web-rg,web,0.svc").size(), "one supervisor thread watches the tag");

        assertTrue(m.stop("web-rg,web,0.svc", 15, STOP));
        assertFalse(Processes.running(pid));
        assertEquals(Optional.empty(), m.status("web-rg,web,0.svc"));
        assertFalse(Files.exists(state.resolve("tags/web-rg,web,0.svc.json")));
        assertFalse(m.stop("web-rg,web,0.svc", 15, STOP), "a second stop finds nothing");
        awaitNoSupervisor("web-rg,web,0.svc"); // it has handled the end of the tree, and would have told it
        assertEquals(List.of(), deaths.pending(), "a stop is not a death");
    }

    @Test
    void stopKillsTheWholeTreeAndLeavesNoZombie() throws Exception {
        ProcessMonitorImpl m = monitor();
        Path child = dir.resolve("child.pid");
        Path daemon = dir.resolve("daemon.pid");
        // a child that ignores SIGTERM, and a double-forked daemon that left the session
        Path program = script(dir, "tree.sh", "sh -c 'trap \"\" TERM; echo $$ > " + q(child) + "; exec sleep 1000' &\n"
                + "(setsid sh -c 'echo $$ > " + q(daemon) + "; exec sleep 1000' &)\n"
                + "exec sleep 1000");
        m.start(spec("tree", dir, 2, WINDOW, -1, List.of(program.toString())));
        long childPid = pidIn(child);
        long daemonPid = pidIn(daemon);
        Await.until("three processes", () -> status(m, "tree").pids().size() == 3);
        TagStatus s = status(m, "tree");
        assertTrue(s.pids().containsAll(List.of(childPid, daemonPid)), s.pids().toString());
        long shim = ProcStat.read(childPid).orElseThrow().session();
        assertNotEquals(shim, ProcStat.read(daemonPid).orElseThrow().session(), "the daemon left the session");

        assertTrue(m.stop("tree", 15, Duration.ofMillis(300)));
        for (long pid : s.pids()) {
            assertFalse(Processes.running(pid), "process " + pid + " of the tree still runs");
        }
        ProcTable table = ProcTable.snapshot();
        List<ProcStat> zombies = new ArrayList<>();
        for (long pid : s.pids()) {
            ProcStat.read(pid).ifPresent(zombies::add);
        }
        assertEquals(List.of(), zombies, "the tree's processes are reaped");
        assertEquals(Optional.empty(), ProcStat.read(shim), "the shim is reaped");
        assertEquals(List.of(), table.tree(shim, 0), "nothing is left in the session");
        awaitNoSupervisor("tree");
        assertEquals(List.of(), deaths.pending(), "a stop is not a death");
    }

    @Test
    void signalsTheTreeAndKeepsSupervising() throws Exception {
        ProcessMonitorImpl m = monitor();
        Path got = dir.resolve("usr1");
        Path program = script(dir, "trap.sh", "trap 'echo usr1 > " + q(got) + "' USR1\n"
                + "echo $$ > " + q(dir.resolve("trap.pid")) + "\nwhile :; do sleep 1 & wait $!; done");
        m.start(spec("trap", dir, 2, WINDOW, -1, List.of(program.toString())));
        long pid = pidIn(dir.resolve("trap.pid"));
        m.signal("trap", 10);
        Await.until("the USR1 trap", () -> Files.exists(got));
        assertTrue(Processes.running(pid));
        assertEquals(State.RUNNING, status(m, "trap").state());
        assertThrows(PmfException.class, () -> m.signal("trap", 0));
        assertThrows(PmfException.class, () -> m.signal("nosuchtag", 15));
    }

    // --- restarts and the budget ---------------------------------------------------------------

    @Test
    void restartsADeadTreeWithinItsBudget() throws Exception {
        ProcessMonitorImpl m = monitor();
        m.start(sleeper("svc", 2));
        long first = programPid("svc");
        long second = killAndAwaitRestart("svc", first, 1);
        assertNotEquals(first, second);
        TagStatus s = status(m, "svc");
        assertEquals(State.RUNNING, s.state());
        assertEquals(List.of(second), s.pids());
        assertEquals(1, s.restartsInWindow());
    }

    @Test
    void aKilledShimCountsAsADeathAndWhatItLeftIsKilled() throws Exception {
        ProcessMonitorImpl m = monitor();
        m.start(sleeper("svc", 2));
        long first = programPid("svc");
        long shim = ProcStat.read(first).orElseThrow().session();
        kill9(shim);
        assertEquals(new Death("svc", 1, true), deaths.next());
        Await.until("the orphaned program to be killed", () -> !Processes.running(first));
        long second = newProgramPid("svc", first);
        assertEquals(List.of(second), status(m, "svc").pids());
    }

    @Test
    void givesUpWhenTheBudgetIsExhausted() throws Exception {
        ProcessMonitorImpl m = monitor();
        m.start(sleeper("svc", 1));
        long first = programPid("svc");
        long second = killAndAwaitRestart("svc", first, 1);
        kill9(second);
        assertEquals(new Death("svc", 1, false), deaths.next(), "the listeners are told it was given up");
        // as pmfadm: the tag is removed, so pmfadm -q exits non-zero and -L no longer lists it
        assertEquals(Optional.empty(), m.status("svc"), "a given-up tag is no longer supervised");
        // list() still shows it, GAVE_UP, so that a Start waiting for its service sees a give-up
        // that came before it looked (svc_wait), and an operator sees why it is gone
        assertEquals(List.of(State.GAVE_UP), m.list().stream().map(TagStatus::state).toList());
        Await.until("its record to be deleted", () -> !Files.exists(state.resolve("tags/svc.json")));
        assertThrows(PmfException.class, () -> m.signal("svc", 15));
        // a given-up tag may be started again
        m.start(sleeper("svc", 1));
        assertEquals(State.RUNNING, status(m, "svc").state());
        assertEquals(List.of(State.RUNNING), m.list().stream().map(TagStatus::state).toList(),
                "started again, it is listed once");
        assertTrue(Files.exists(state.resolve("tags/svc.json")));
    }

    @Test
    void noRetriesGivesUpAtTheFirstDeath() throws Exception {
        ProcessMonitorImpl m = monitor();
        java.util.concurrent.CompletableFuture<Optional<TagStatus>> seenByListener =
                new java.util.concurrent.CompletableFuture<>();
        m.addListener("once", (tag, restarts, restarting) -> seenByListener.complete(m.status(tag)));
        m.start(sleeper("once", 0));
        kill9(programPid("once"));
        assertEquals(new Death("once", 0, false), deaths.next());
        assertEquals(Optional.empty(), m.status("once"), "given up and removed");
        assertEquals(Optional.empty(), seenByListener.get(10, TimeUnit.SECONDS),
                "the tag is removed before the listeners are told");
    }

    @Test
    void theWindowSlidesWithTheClock() throws Exception {
        SettableClock clock = new SettableClock();
        ProcessMonitorImpl m = monitor(clock);
        m.start(sleeper("svc", 1));
        long first = programPid("svc");
        long second = killAndAwaitRestart("svc", first, 1);

        clock.advance(WINDOW.plusSeconds(1));
        assertEquals(0, status(m, "svc").restartsInWindow(), "the restart left the window");
        long third = killAndAwaitRestart("svc", second, 1);

        clock.advance(WINDOW.minusSeconds(1));
        kill9(third);
        assertEquals(new Death("svc", 1, false), deaths.next(), "the last restart is still in the window");
    }

    @Test
    void modifyChangesTheBudget() throws Exception {
        ProcessMonitorImpl m = monitor();
        m.start(sleeper("svc", 0));
        m.modify("svc", 3, Duration.ofMinutes(2));
        assertEquals(3, status(m, "svc").spec().retries());
        assertTrue(Files.readString(state.resolve("tags/svc.json")).contains("\"period\" : \"PT2M\""));
        kill9(programPid("svc"));
        assertEquals(new Death("svc", 1, true), deaths.next());
        assertThrows(PmfException.class, () -> m.modify("svc", -2, WINDOW));
        assertThrows(PmfException.class, () -> m.modify("nosuchtag", 1, WINDOW));
    }

    @Test
    void anActionThatExitsZeroRestartsTheTree() throws Exception {
        ProcessMonitorImpl m = monitor();
        Path args = dir.resolve("action.args");
        Path action = script(dir, "action.sh", "echo \"$@\" > " + q(args) + "\nexit 0");
        m.start(withAction(sleeper("svc", 0), List.of(action.toString())));
        long first = programPid("svc");
        kill9(first);
        assertEquals(new Death("svc", 1, true), deaths.next());
        assertEquals("failed svc", Files.readString(args).strip());
        newProgramPid("svc", first);
        assertEquals(State.RUNNING, status(m, "svc").state());
    }

    @Test
    void anActionThatExitsNonZeroGivesUp() throws Exception {
        ProcessMonitorImpl m = monitor();
        Path action = script(dir, "action.sh", "exit 1");
        m.start(withAction(sleeper("svc", 0), List.of(action.toString())));
        kill9(programPid("svc"));
        assertEquals(new Death("svc", 0, false), deaths.next());
        assertEquals(Optional.empty(), m.status("svc"), "an action exiting non-zero removes the tag, as in pmfadm");
        Await.until("its record to be deleted", () -> !Files.exists(state.resolve("tags/svc.json")));
    }

    // --- child monitor levels ------------------------------------------------------------------

    @Test
    void levelMinusOneWaitsForTheLastDescendant() throws Exception {
        ProcessMonitorImpl m = monitor();
        Path original = dir.resolve("original.pid");
        Path daemon = dir.resolve("daemon.pid");
        Path marker = dir.resolve("second-run");
        // the first run double-forks a daemon and exits; the restarted one just sleeps
        Path program = script(dir, "forker.sh", "if [ -e " + q(marker) + " ]; then exec sleep 1000; fi\n"
                + "echo $$ > " + q(original) + "\ntouch " + q(marker) + "\n(sh -c 'echo $$ > " + q(daemon)
                + "; exec sleep 1000' &)\nexit 0");
        m.start(spec("forker", dir, 2, WINDOW, -1, List.of(program.toString())));
        long originalPid = pidIn(original);
        long daemonPid = pidIn(daemon);
        long shim = ProcStat.read(daemonPid).orElseThrow().session();
        Await.until("the original to end", () -> status(m, "forker").pids().equals(List.of(daemonPid)));
        // The shim decides whether the tree is over as it reaps the original. Had it decided so, it
        // would have unlinked its socket (and told the PMF) before sleeping again, so once the
        // original is reaped and the shim sleeps, the socket tells what it decided, without a wait.
        Await.until("the shim to reap the original", () -> ProcStat.read(originalPid).isEmpty());
        Await.until("the shim to sleep again", () -> ProcStat.read(shim).map(p -> p.state() == 'S' || !p.running())
                .orElse(true));
        assertTrue(Files.exists(state.resolve("sock/forker.sock")), "the shim still watches the tree");
        assertEquals(List.of(), deaths.pending(), "not restarted while the daemon lives");
        assertEquals(State.RUNNING, status(m, "forker").state());
        assertEquals(0, status(m, "forker").restartsInWindow());

        kill9(daemonPid);
        assertEquals(new Death("forker", 1, true), deaths.next());
        Await.until("the restarted tree", () -> status(m, "forker").pids().size() == 1
                && !status(m, "forker").pids().contains(daemonPid));
    }

    @Test
    void levelZeroRestartsWhenTheOriginalDiesEvenIfAChildLivesOn() throws Exception {
        ProcessMonitorImpl m = monitor();
        Path child = dir.resolve("child.pid");
        Path marker = dir.resolve("second-run");
        Path program = script(dir, "parent.sh", "if [ -e " + q(marker) + " ]; then exec sleep 1000; fi\n"
                + "touch " + q(marker) + "\nsh -c 'echo $$ > " + q(child) + "; exec sleep 1000' &\n"
                + "while [ ! -s " + q(child) + " ]; do :; done\nexit 0");
        m.start(spec("parent", dir, 2, WINDOW, 0, List.of(program.toString())));
        assertEquals(new Death("parent", 1, true), deaths.next());
        long childPid = pidIn(child);
        strays.add(childPid);
        assertTrue(Processes.running(childPid), "the child lives on");
        Await.until("the restarted tree", () -> status(m, "parent").pids().size() == 1
                && !status(m, "parent").pids().contains(childPid));
    }

    // --- adoption ------------------------------------------------------------------------------

    @Test
    void aNewInstanceAdoptsRunningTreesAndSupervisesThem() throws Exception {
        ProcessMonitorImpl first = monitor();
        first.start(sleeper("svc", 2));
        long pid = programPid("svc");
        TagStatus before = status(first, "svc");
        first.close();
        assertTrue(Processes.running(pid), "deactivation leaves the tree running");

        ProcessMonitorImpl second = monitor();
        TagStatus after = status(second, "svc");
        assertEquals(State.RUNNING, after.state());
        assertEquals(before.pids(), after.pids());
        assertEquals(before.started().toEpochMilli(), after.started().toEpochMilli());
        assertEquals(before.spec(), after.spec());

        long restarted = killAndAwaitRestart("svc", pid, 1);
        assertEquals(List.of(restarted), status(second, "svc").pids());
    }

    @Test
    void aTreeThatDiedWhileNoAgentWatchedIsRestartedOnAdoption() throws Exception {
        ProcessMonitorImpl first = monitor();
        first.start(sleeper("svc", 2));
        long pid = programPid("svc");
        first.close();
        kill9(pid);
        Await.until("the shim to remove its socket", () -> !Files.exists(state.resolve("sock/svc.sock")));

        ProcessMonitorImpl second = monitor();
        long restarted = newProgramPid("svc", pid);
        Await.until("the restarted tree", () -> status(second, "svc").pids().equals(List.of(restarted)));
        assertEquals(1, status(second, "svc").restartsInWindow());
    }

    @Test
    void aGivenUpTagStaysRemovedAcrossInstances() throws Exception {
        ProcessMonitorImpl first = monitor();
        first.start(sleeper("svc", 0));
        kill9(programPid("svc"));
        assertEquals(new Death("svc", 0, false), deaths.next());
        first.close();
        ProcessMonitorImpl second = monitor();
        assertEquals(Optional.empty(), second.status("svc"));
        // An instance takes the tags of its records up while it is made: one it took up would be listed
        // (restarting, running, or given up again) and would have a supervisor reporting its deaths.
        assertEquals(List.of(), second.list(), "nothing is restarted");
        assertFalse(Files.exists(state.resolve("tags/svc.json")));
        awaitNoSupervisor("svc"); // the first instance's, which reported the give-up
        assertEquals(List.of(), deaths.pending(), "nothing is restarted");
    }

    @Test
    void aRecordOfAGivenUpTagLeftByAnEarlierAgentIsDeleted() throws Exception {
        try (TagStore store = TagStore.open(state)) {
            store.save(TagRecord.of(sleeper("old", 0), 0, 0, true));
        }
        assertTrue(Files.exists(state.resolve("tags/old.json")));
        ProcessMonitorImpl m = monitor();
        assertEquals(Optional.empty(), m.status("old"));
        assertFalse(Files.exists(state.resolve("tags/old.json")));
    }

    @Test
    void aStateDirectoryServesOneInstanceAtATime() throws Exception {
        monitor();
        IOException e = assertThrows(IOException.class, () -> new ProcessMonitorImpl(state, Clock.systemUTC(),
                Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }

    // --- refusals ------------------------------------------------------------------------------

    @Test
    void refusesTagsThatCannotBeFileNames() throws Exception {
        ProcessMonitorImpl m = monitor();
        for (String bad : List.of("", "a b", "a/b", "../x", "x;y", "t\u00e9", "x".repeat(256))) {
            PmfException e = assertThrows(PmfException.class,
                    () -> m.start(spec(bad, dir, 0, WINDOW, -1, List.of("/bin/true"))), bad);
            assertTrue(e.getMessage().contains("expected 1 to 255 letters, digits"), e.getMessage());
        }
        assertEquals(List.of(), m.list());
    }

    @Test
    void acceptsTheLongestTag() throws Exception {
        ProcessMonitorImpl m = monitor();
        String tag = "a".repeat(250) + ",.-_9";
        Path program = script(dir, "long.sh", "exec sleep 1000");
        m.start(spec(tag, dir, 0, WINDOW, -1, List.of(program.toString())));
        assertEquals(State.RUNNING, status(m, tag).state());
        assertEquals(1, status(m, tag).pids().size());
        assertTrue(m.stop(tag, 15, STOP));
    }

    @Test
    void refusesProgramsThatCannotRun() throws Exception {
        ProcessMonitorImpl m = monitor();
        Path notExecutable = dir.resolve("plain");
        Files.writeString(notExecutable, "#!/bin/sh\n");
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        Path badInterpreter = script(dir, "bad", "");
        Files.writeString(badInterpreter, "#!/nonexistent/interpreter\n");
        Map<List<String>, String> cases = Map.of(
                List.of("sleep", "1"), "not an absolute path",
                List.of("/nonexistent/program"), "missing or not executable",
                List.of(notExecutable.toString()), "missing or not executable",
                List.of(badInterpreter.toString()), "cannot execute " + badInterpreter);
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            PmfException e = assertThrows(PmfException.class,
                    () -> m.start(spec("bad", dir, 0, WINDOW, -1, c.getKey())), c.getKey().toString());
            assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
        }
        assertEquals(List.of(), m.list());
        assertFalse(Files.exists(state.resolve("tags/bad.json")));
    }
}
