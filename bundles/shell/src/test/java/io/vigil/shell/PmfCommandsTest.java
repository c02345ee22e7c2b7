package io.vigil.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.pmf.PmfException;
import io.vigil.api.pmf.PmfListener;
import io.vigil.api.pmf.ProcessMonitor;
import io.vigil.api.pmf.ProcessSpec;
import io.vigil.api.pmf.TagStatus;
import io.vigil.api.pmf.TagStatus.State;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PmfCommandsTest {

    private static final Instant STARTED = Instant.parse("2026-11-22T07:30:00Z");
    private static final String TAG = "web-rg,web,0.svc";
    private static final String DEFAULT_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    /** A PMF that keeps tags in a map and records every request. */
    static final class FakePmf implements ProcessMonitor {
        final Map<String, TagStatus> tags = new TreeMap<>();
        final List<String> calls = new ArrayList<>();
        ProcessSpec started;
        long nextPid = 200;

        TagStatus add(String tag, State state, int restarts, Long... pids) {
            ProcessSpec spec = new ProcessSpec(tag, List.of("/usr/bin/xfs", "-port", "7100"), Map.of(), Path.of("/"),
                    2, Duration.ofMinutes(5), Optional.empty(), -1);
            TagStatus s = new TagStatus(spec, List.of(pids), restarts, STARTED, state);
            tags.put(tag, s);
            return s;
        }

        @Override
        public TagStatus start(ProcessSpec spec) throws PmfException {
            calls.add("start " + spec.tag());
            if (tags.containsKey(spec.tag())) {
                throw new PmfException("tag " + spec.tag() + " is already supervised (RUNNING)");
            }
            started = spec;
            TagStatus s = new TagStatus(spec, List.of(100L, 101L), 0, STARTED, State.RUNNING);
            tags.put(spec.tag(), s);
            return s;
        }

        @Override
        public boolean stop(String tag, int signal, Duration timeout) {
            calls.add("stop " + tag + " " + signal + " " + timeout);
            return tags.remove(tag) != null;
        }

        @Override
        public void signal(String tag, int signal) throws PmfException {
            calls.add("signal " + tag + " " + signal);
            TagStatus s = tags.get(tag);
            if (s == null) {
                throw new PmfException("tag " + tag + " is not supervised; expected one of pmfadm -L");
            }
            // the tree dies of it and is restarted with new pids
            tags.put(tag, new TagStatus(s.spec(), List.of(nextPid++), s.restartsInWindow() + 1, STARTED, State.RUNNING));
        }

        @Override
        public void modify(String tag, int retries, Duration period) {
            calls.add("modify " + tag + " " + retries + " " + period);
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
            throw new UnsupportedOperationException();
        }
    }

    private final FakePmf pmf = new FakePmf();
    private final PmfCommands commands = new PmfCommands(pmf);

    // --- pmfadm -c -----------------------------------------------------------------------------

    @Test
    void createPassesEveryOptionThrough() throws PmfException {
        String out = commands.pmfadm("-c", TAG, "-a", "/opt/bin/act --why 'budget spent'", "-e", "LANG=C",
                "-e", "XFS_OPTS=a=b", "-n", "3", "-t", "5", "-C", "0", "/usr/bin/xfs", "-port", "7100");
        assertEquals("Tag " + TAG + " started: pids 100 101\n", out);
        ProcessSpec s = pmf.started;
        assertEquals(TAG, s.tag());
        assertEquals(List.of("/usr/bin/xfs", "-port", "7100"), s.command());
        assertEquals(Map.of("LANG", "C", "XFS_OPTS", "a=b", "PATH", DEFAULT_PATH), s.environment());
        assertEquals(Path.of("/"), s.workDir());
        assertEquals(3, s.retries());
        assertEquals(Duration.ofMinutes(5), s.period(), "-t is in minutes");
        assertEquals(0, s.childMonitorLevel());
        assertEquals(Optional.of(List.of("/opt/bin/act", "--why", "budget spent")), s.action());
    }

    @Test
    void createDefaultsToUnlimitedRetriesNoWindowAllChildrenAndNoAction() throws PmfException {
        commands.pmfadm("-c", TAG, "-e", "PATH=/opt/bin", "/usr/bin/xfs");
        ProcessSpec s = pmf.started;
        assertEquals(-1, s.retries());
        assertEquals(Duration.ZERO, s.period());
        assertEquals(-1, s.childMonitorLevel());
        assertEquals(Optional.empty(), s.action());
        assertEquals(Map.of("PATH", "/opt/bin"), s.environment(), "a PATH given is kept");
        commands.pmfadm("-c", "other", "-t", "-1", "/usr/bin/xfs");
        assertEquals(Duration.ZERO, pmf.started.period(), "-t -1: no window");
    }

    @Test
    void theActionKeepsQuotedArgumentsWhole() throws PmfException {
        commands.pmfadm("-c", TAG, "-a", "/opt/my actions/restart.sh", "/usr/bin/xfs");
        assertEquals(List.of("/opt/my", "actions/restart.sh"), pmf.started.action().orElseThrow(),
                "unquoted blanks separate words");
        pmf.tags.clear();
        commands.pmfadm("-c", TAG, "-a", "'/opt/my actions/restart.sh' -m \"two words\"  it\\'s \"say \\\"hi\\\"\"",
                "/usr/bin/xfs");
        assertEquals(List.of("/opt/my actions/restart.sh", "-m", "two words", "it's", "say \"hi\""),
                pmf.started.action().orElseThrow());
        pmf.tags.clear();
        commands.pmfadm("-c", TAG, "-a", "/bin/sh -c 'logger -t pmf \"$0 $1\"; exit 1'", "/usr/bin/xfs");
        assertEquals(List.of("/bin/sh", "-c", "logger -t pmf \"$0 $1\"; exit 1"), pmf.started.action().orElseThrow(),
                "shell syntax inside single quotes is one argument for sh -c");
    }

    @Test
    void anActionThatNeedsAShellOrIsUnterminatedIsRefusedClearly() {
        assertEquals("-a \"/opt/act > /tmp/log\" is not a valid command line: its unquoted > at 10 needs a shell, and "
                + "the command is not run through one; write sh -c '...' to use one", assertThrows(UsageException.class,
                        () -> commands.pmfadm("-c", TAG, "-a", "/opt/act > /tmp/log", "/usr/bin/xfs")).getMessage());
        assertEquals("-a \"/opt/act 'x\" is not a valid command line: its ' at 10 is not closed", assertThrows(UsageException.class,
                () -> commands.pmfadm("-c", TAG, "-a", "/opt/act 'x", "/usr/bin/xfs")).getMessage());
        assertEquals("-a \"/opt/act \"$HOME\"\" is not a valid command line: its $ at 11 (in double quotes) needs a "
                + "shell, and the command is not run through one; quote it with ' or \\, or write sh -c '...'", assertThrows(UsageException.class,
                        () -> commands.pmfadm("-c", TAG, "-a", "/opt/act \"$HOME\"", "/usr/bin/xfs")).getMessage());
        assertTrue(assertThrows(UsageException.class, () -> commands.pmfadm("-c", TAG, "-a", "  ", "/usr/bin/xfs"))
                .getMessage().startsWith("-a needs an action program"));
        assertEquals(List.of(), pmf.calls, "nothing was started");
    }

    @Test
    void createRefusesWhatIsIncomplete() {
        assertThrows(UsageException.class, () -> commands.pmfadm("-c", TAG));
        assertThrows(UsageException.class, () -> commands.pmfadm("-c", TAG, "-n"));
        assertThrows(UsageException.class, () -> commands.pmfadm("-c", TAG, "-x", "1", "/usr/bin/xfs"));
        assertThrows(UsageException.class, () -> commands.pmfadm("-c", TAG, "-n", "three", "/usr/bin/xfs"));
        assertThrows(UsageException.class, () -> commands.pmfadm("-c", TAG, "-e", "NOEQUALS", "/usr/bin/xfs"));
        assertEquals("command xfs is not an absolute path; expected /path/to/program",
                assertThrows(IllegalArgumentException.class, () -> commands.pmfadm("-c", TAG, "xfs")).getMessage());
        assertEquals(List.of(), pmf.calls);
    }

    @Test
    void createReportsTheFacilitysRefusal() throws PmfException {
        pmf.add(TAG, State.RUNNING, 0, 5L);
        PmfException e = assertThrows(PmfException.class, () -> commands.pmfadm("-c", TAG, "/usr/bin/xfs"));
        assertTrue(e.getMessage().contains("already supervised"), e.getMessage());
    }

    // --- pmfadm -k, -s, -m ---------------------------------------------------------------------

    @Test
    void killSignalsAndKeepsSupervising() throws PmfException {
        pmf.add(TAG, State.RUNNING, 0, 5L);
        assertEquals("", commands.pmfadm("-k", TAG));
        assertEquals("", commands.pmfadm("-k", TAG, "KILL"));
        assertEquals("", commands.pmfadm("-k", TAG, "SIGhup"));
        assertEquals("", commands.pmfadm("-k", TAG, "-w", "5", "10"));
        assertEquals("", commands.pmfadm("-k", TAG, "CONT"));
        assertEquals(List.of("signal " + TAG + " 15", "signal " + TAG + " 9", "signal " + TAG + " 1",
                "signal " + TAG + " 10", "signal " + TAG + " 18"), pmf.calls, "every name kill -l knows");
        assertTrue(pmf.status(TAG).isPresent(), "-k does not stop supervising");
        assertThrows(PmfException.class, () -> commands.pmfadm("-k", "nosuch"));
        assertEquals("signal NOPE is not known; expected a number 1-64 or a name such as TERM or KILL",
                assertThrows(UsageException.class, () -> commands.pmfadm("-k", TAG, "NOPE")).getMessage());
        assertThrows(UsageException.class, () -> commands.pmfadm("-k", TAG, "65"));
    }

    @Test
    void stopSignalsWaitsAndStopsSupervising() throws PmfException {
        pmf.add(TAG, State.RUNNING, 0, 5L);
        pmf.add("b", State.RUNNING, 0, 6L);
        assertEquals("", commands.pmfadm("-s", TAG));
        assertEquals("", commands.pmfadm("-s", "b", "-w", "10", "KILL"));
        assertEquals(List.of("stop " + TAG + " 15 PT30S", "stop b 9 PT10S"), pmf.calls,
                "SIGTERM and 30 s unless told otherwise");
        assertEquals(List.of(), pmf.list());
        assertEquals("tag " + TAG + " is not supervised",
                assertThrows(IllegalArgumentException.class, () -> commands.pmfadm("-s", TAG)).getMessage());
        assertThrows(UsageException.class, () -> commands.pmfadm("-s"));
        assertThrows(UsageException.class, () -> commands.pmfadm("-s", TAG, "-w"));
        assertThrows(UsageException.class, () -> commands.pmfadm("-s", TAG, "TERM", "extra"));
    }

    @Test
    void modifyChangesOnlyWhatIsGiven() throws PmfException {
        pmf.add(TAG, State.RUNNING, 0, 5L); // 2 retries within 5 minutes
        commands.pmfadm("-m", TAG, "-n", "4");
        commands.pmfadm("-m", TAG, "-t", "10");
        commands.pmfadm("-m", TAG, "-n", "-1", "-t", "0");
        assertEquals(List.of("modify " + TAG + " 4 PT5M", "modify " + TAG + " 2 PT10M", "modify " + TAG + " -1 PT0S"),
                pmf.calls);
        assertThrows(IllegalArgumentException.class, () -> commands.pmfadm("-m", "nosuch", "-n", "1"));
        assertThrows(UsageException.class, () -> commands.pmfadm("-m", TAG, "-x", "1"));
    }

    // --- pmfadm -l, -L, -q and pmf list / show -------------------------------------------------

    @Test
    void statusOfOneTag() throws PmfException {
        pmf.add(TAG, State.RUNNING, 1, 5L, 6L);
        String expected = "STATUS " + TAG + "\n"
                + "  state:             RUNNING\n"
                + "  command:           /usr/bin/xfs -port 7100\n"
                + "  retries:           1 of 2 within 5 minutes\n"
                + "  action:            none\n"
                + "  monitor children:  all\n"
                + "  started:           2026-11-22T07:30:00Z\n"
                + "  pids:              5 6\n";
        assertEquals(expected, commands.pmfadm("-l", TAG));
        assertEquals(expected, commands.pmf("show", TAG));
        assertEquals("tag nosuch is not supervised",
                assertThrows(IllegalArgumentException.class, () -> commands.pmfadm("-l", "nosuch")).getMessage());
        assertEquals("tag nosuch is not supervised",
                assertThrows(IllegalArgumentException.class, () -> commands.pmf("show", "nosuch")).getMessage());
    }

    @Test
    void listsEverySupervisedTag() throws PmfException {
        assertEquals("", commands.pmfadm("-L"));
        pmf.add(TAG, State.RUNNING, 1, 5L, 6L);
        pmf.add("a-rg,a,0.mon", State.RESTARTING, 2);
        pmf.add("gone", State.GAVE_UP, 2);
        assertEquals("a-rg,a,0.mon\n" + TAG + "\n", commands.pmfadm("-L"), "a given-up tag is not registered");
        assertEquals("TAG               STATE       PIDS  RESTARTS  STARTED\n"
                + "a-rg,a,0.mon      RESTARTING        2/2       2026-11-22T07:30:00Z\n"
                + "gone              GAVE_UP           2/2       2026-11-22T07:30:00Z\n"
                + TAG + "  RUNNING     5 6   1/2       2026-11-22T07:30:00Z\n", commands.pmf("list"));
        assertThrows(UsageException.class, () -> commands.pmfadm("-L", "extra"));
    }

    @Test
    void queryExitsNonZeroUnlessTheTagIsRegistered() throws PmfException {
        pmf.add(TAG, State.RUNNING, 0, 5L);
        pmf.add("restarting", State.RESTARTING, 1);
        pmf.add("gone", State.GAVE_UP, 2);
        assertEquals("", commands.pmfadm("-q", TAG));
        assertEquals("", commands.pmfadm("-q", "restarting"));
        CommandStatusException missing = assertThrows(CommandStatusException.class,
                () -> commands.pmfadm("-q", "nosuch"));
        assertEquals(1, missing.status());
        assertEquals("", missing.getMessage(), "silent, as pmfadm -q");
        assertEquals(1, assertThrows(CommandStatusException.class, () -> commands.pmfadm("-q", "gone")).status(),
                "a given-up tag is removed from the PMF in the original");
        assertThrows(UsageException.class, () -> commands.pmfadm("-q"));
    }

    @Test
    void usageErrorsSayWhatIsExpected() {
        assertTrue(assertThrows(UsageException.class, () -> commands.pmfadm()).getMessage()
                .startsWith("pmfadm needs an option; usage: pmfadm -c <tag>"));
        assertTrue(assertThrows(UsageException.class, () -> commands.pmfadm("-z", TAG)).getMessage()
                .startsWith("unknown pmfadm option -z; usage: "));
        assertEquals("expected pmf list or pmf show <tag>",
                assertThrows(UsageException.class, () -> commands.pmf("status")).getMessage());
        assertThrows(UsageException.class, () -> commands.pmf());
    }
}
