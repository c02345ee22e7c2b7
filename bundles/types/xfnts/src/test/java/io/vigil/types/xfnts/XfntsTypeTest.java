package io.vigil.types.xfnts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.pmf.ProcessSpec;
import io.vigil.api.probe.FaultMonitors;
import io.vigil.api.type.Method;
import io.vigil.api.type.MethodResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The methods of SUNW.xfnts against fakes of the PMF and the fault monitors. */
class XfntsTypeTest {

    private static final String TAG = "g1,r1,0.svc";
    /** 90% of the 60 s every fake call has left. */
    private static final Duration SHARE = Duration.ofSeconds(54);

    @TempDir
    Path tmp;

    private final Fakes fakes = new Fakes();
    private final XfntsType type = new XfntsType(fakes.pmf, fakes.monitors);
    private StandIns standIns;
    private Map<String, String> properties;

    @BeforeEach
    void install() throws Exception {
        standIns = StandIns.install(tmp);
        properties = standIns.properties(7100);
    }

    private MethodResult call(Method method) {
        return type.call(method, Fakes.context(method, properties));
    }

    @Test
    void startLaunchesXfsUnderPmfThenWaitsUntilItAnswers() {
        properties.put(XfsSettings.RETRY_COUNT, "3");
        properties.put(XfsSettings.RETRY_INTERVAL, "600");
        properties.put(XfsSettings.CHILD_MON_LEVEL, "0");
        assertEquals(MethodResult.success(), call(Method.START));
        assertEquals(List.of("pmf.start " + TAG, "fm.awaitService r1 SUNW.xfnts " + SHARE), fakes.calls);
        ProcessSpec spec = fakes.pmf.started.get(0);
        assertEquals(List.of(standIns.xfs.toString(), "-config", standIns.confdir.resolve("fontserver.cfg").toString(),
                "-port", "7100"), spec.command());
        assertEquals(3, spec.retries(), "the PMF restarts it at most Retry_count times");
        assertEquals(Duration.ofSeconds(600), spec.period(), "within Retry_interval");
        assertEquals(0, spec.childMonitorLevel());
        assertEquals(Optional.empty(), spec.action());
        assertEquals(Path.of("/"), spec.workDir());
        assertEquals(XfntsType.ENVIRONMENT, spec.environment());
    }

    @Test
    void startFailsAndKillsTheTreeWhenTheServiceDoesNotAnswer() {
        fakes.monitors.wait = new FaultMonitors.ServiceWait(false, "connect to 127.0.0.1:7100 refused");
        MethodResult r = call(Method.START);
        assertEquals("xfs of r1 did not answer on port 7100: connect to 127.0.0.1:7100 refused", r.message());
        assertEquals(List.of("pmf.start " + TAG, "fm.awaitService r1 SUNW.xfnts " + SHARE,
                "pmf.stop " + TAG + " 9 PT0S"), fakes.calls);
        assertTrue(fakes.pmf.tags.isEmpty(), "no process outlives a failed Start");
    }

    @Test
    void startInterruptedKillsTheTreeAndFails() {
        fakes.monitors.interruptWait = true;
        MethodResult r = call(Method.START);
        assertEquals("xfs of r1 did not answer on port 7100: interrupted while waiting for it to answer", r.message());
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertTrue(fakes.pmf.tags.isEmpty());
    }

    @Test
    void startKillsTheTreeWhenItCannotWaitForTheService() {
        fakes.monitors.waitFailure = new IllegalArgumentException("no probe named \"SUNW.xfnts\" is registered");
        assertEquals("xfs of r1 did not answer on port 7100: cannot wait for it to answer: no probe named "
                + "\"SUNW.xfnts\" is registered", call(Method.START).message());
        assertTrue(fakes.pmf.tags.isEmpty());
    }

    @Test
    void startSaysWhenTheTreeCannotBeKilledEither() {
        fakes.monitors.wait = new FaultMonitors.ServiceWait(false, "PMF gave up on g1,r1,0.svc");
        fakes.pmf.failures.put("stop", "processes [4242] survive SIGKILL");
        assertEquals("xfs of r1 did not answer on port 7100: PMF gave up on g1,r1,0.svc; killing its process tree "
                + "failed too: processes [4242] survive SIGKILL", call(Method.START).message());
    }

    @Test
    void startRefusesAnInvalidConfigurationWithoutLaunchingAnything() throws Exception {
        Files.delete(standIns.confdir.resolve("fontserver.cfg"));
        MethodResult r = call(Method.START);
        assertFalse(r.isSuccess());
        assertTrue(r.message().startsWith("invalid configuration of r1: the configuration file "
                + standIns.confdir.resolve("fontserver.cfg") + " (fontserver.cfg in the first entry of Confdir_list) "
                + "does not exist"), r.message());
        assertEquals(List.of(), fakes.calls);
    }

    @Test
    void startReportsWhatThePmfRefused() {
        fakes.pmf.failures.put("start", "tag " + TAG + " is already supervised (RUNNING)");
        assertEquals("cannot start xfs for r1 under PMF: tag " + TAG + " is already supervised (RUNNING)",
                call(Method.START).message());
        assertEquals(List.of("pmf.start " + TAG), fakes.calls, "no wait for a service that was not started");
    }

    @Test
    void stopContinuesTheTreeThenTerminatesItWithinTheStopTimeout() {
        call(Method.START);
        fakes.calls.clear();
        assertEquals(MethodResult.success(), call(Method.STOP));
        assertEquals(List.of("pmf.signal " + TAG + " " + XfntsType.SIGCONT, "pmf.stop " + TAG + " 15 " + SHARE),
                fakes.calls);
    }

    @Test
    void stopOfAServiceThatIsNotRunningSucceedsAtOnce() {
        assertEquals(MethodResult.success(), call(Method.STOP));
        assertEquals(List.of(), fakes.calls);
    }

    @Test
    void stopStillTerminatesATreeThatCannotBeContinued() {
        call(Method.START);
        fakes.pmf.failures.put("signal", "tag " + TAG + " has no running tree (RESTARTING)");
        fakes.calls.clear();
        assertEquals(MethodResult.success(), call(Method.STOP));
        assertEquals(List.of("pmf.signal " + TAG + " 18", "pmf.stop " + TAG + " 15 " + SHARE), fakes.calls);
        assertTrue(fakes.pmf.tags.isEmpty());
    }

    @Test
    void stopFailsWhenThePmfCannotStopTheTree() {
        call(Method.START);
        fakes.pmf.failures.put("stop", "tag " + TAG + ": processes [4242] survive SIGKILL (in uninterruptible sleep?)");
        assertEquals("cannot stop xfs of r1: tag " + TAG + ": processes [4242] survive SIGKILL (in uninterruptible "
                + "sleep?)", call(Method.STOP).message());
    }

    @Test
    void validateAcceptsAGoodConfiguration() {
        assertEquals(MethodResult.success(), call(Method.VALIDATE));
        assertEquals(MethodResult.success(), call(Method.MONITOR_CHECK));
        assertEquals(List.of(), fakes.calls, "validation starts nothing");
    }

    @Test
    void validateNamesEveryProblem() throws Exception {
        Path writable = standIns.script("writable", "exit 0");
        Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwxrwxr-x"));
        properties.put(XfsSettings.XFS_PROGRAM, writable.toString());
        properties.put(XfsSettings.CHECK_COMMAND, tmp.resolve("missing") + " -server %host:%port");
        Files.delete(standIns.confdir.resolve("fontserver.cfg"));
        MethodResult r = call(Method.VALIDATE);
        assertEquals("invalid configuration of r1: the configuration file " + standIns.confdir.resolve("fontserver.cfg")
                + " (fontserver.cfg in the first entry of Confdir_list) does not exist or is not a file; expected "
                + "xfs's configuration there; Xfs_program program " + writable
                + " is writable by its group or by others (rwxrwxr-x); expected a program only its owner can change; Check_command program "
                + tmp.resolve("missing") + " does not exist or is not a file; expected an executable file",
                r.message());
        assertEquals(r, call(Method.MONITOR_CHECK), "Monitor_check is Validate");
    }

    @Test
    void validateRefusesMalformedProperties() throws Exception {
        Path notExecutable = tmp.resolve("plain");
        Files.writeString(notExecutable, "");
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        assertProblem(XfsSettings.PORT_LIST, "7100/tcp,7101/tcp", "Port_list = \"7100/tcp,7101/tcp\" has 2 entries "
                + "(xfs serves one port); expected one entry port/tcp with a port in 1..65535, e.g. 7100/tcp");
        assertProblem(XfsSettings.PORT_LIST, "70000/tcp", "Port_list entry \"70000/tcp\" is not valid; expected one "
                + "entry port/tcp with a port in 1..65535, e.g. 7100/tcp");
        assertProblem(XfsSettings.CONFDIR_LIST, "", "Confdir_list has no entry; expected the directory holding "
                + "fontserver.cfg, e.g. -x Confdir_list=/global/xfs/conf");
        assertProblem(XfsSettings.CONFDIR_LIST, "conf", "Confdir_list names \"conf\", which is not an absolute path; "
                + "expected the directory holding fontserver.cfg");
        assertProblem(XfsSettings.XFS_PROGRAM, "xfs", "Xfs_program names \"xfs\", which is not an absolute path; "
                + "expected e.g. /usr/bin/xfs");
        assertProblem(XfsSettings.XFS_PROGRAM, notExecutable.toString(), "Xfs_program program " + notExecutable
                + " is not executable; expected an executable file");
        assertProblem(XfsSettings.CHECK_COMMAND, "xfsinfo -server %host:%port", "Check_command names \"xfsinfo\", "
                + "which is not an absolute path; expected e.g. /usr/bin/xfsinfo");
        assertProblem(XfsSettings.CHECK_COMMAND, standIns.xfsinfo + " -server %hst:%port", "Check_command = \""
                + standIns.xfsinfo + " -server %hst:%port\" has an unknown placeholder at \"%hst:%port\"; "
                + "expected %host, %port or %% (a percent sign)");
        assertProblem(XfsSettings.CHECK_COMMAND, " ", "Check_command is empty; expected a command line such as "
                + "/usr/bin/xfsinfo -server %host:%port");
        assertProblem(XfsSettings.RETRY_COUNT, "-1",
                "Retry_count = \"-1\" is not valid; expected an integer of 0 or more");
    }

    private void assertProblem(String property, String value, String message) {
        Map<String, String> good = Map.copyOf(properties);
        properties.put(property, value);
        assertEquals("invalid configuration of r1: " + message, call(Method.VALIDATE).message());
        properties.clear();
        properties.putAll(good);
    }

    @Test
    void monitorStartAndStopDriveTheAgentsFaultMonitorWithTheXfntsProbe() {
        assertEquals(MethodResult.success(), call(Method.MONITOR_START));
        assertTrue(fakes.monitors.isRunning("r1"));
        assertEquals(MethodResult.success(), call(Method.MONITOR_STOP));
        assertEquals(List.of("fm.start r1 SUNW.xfnts", "fm.stop r1"), fakes.calls);

        fakes.monitors.startFailure = new IllegalArgumentException("no probe named \"SUNW.xfnts\" is registered");
        assertEquals("cannot start the fault monitor of r1: no probe named \"SUNW.xfnts\" is registered",
                call(Method.MONITOR_START).message());
    }

    @Test
    void updateRestartsARunningFaultMonitorAndGivesThePmfTheNewBudget() {
        call(Method.START);
        call(Method.MONITOR_START);
        fakes.calls.clear();
        properties.put(XfsSettings.RETRY_COUNT, "5");
        properties.put(XfsSettings.RETRY_INTERVAL, "900");
        assertEquals(MethodResult.success(), call(Method.UPDATE));
        assertEquals(List.of("pmf.modify " + TAG + " 5 PT15M", "fm.start r1 SUNW.xfnts"), fakes.calls);
    }

    @Test
    void updateLeavesAnUnmonitoredResourceUnmonitored() {
        call(Method.START);
        fakes.calls.clear();
        assertEquals(MethodResult.success(), call(Method.UPDATE));
        assertEquals(List.of("pmf.modify " + TAG + " 2 PT5M"), fakes.calls);
    }

    @Test
    void methodsTheRtrDoesNotDeclareFail() {
        assertEquals("Init is not declared by SUNW.xfnts", call(Method.INIT).message());
    }
}
