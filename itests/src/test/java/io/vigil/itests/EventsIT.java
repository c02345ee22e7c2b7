package io.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Alarms through the built distribution (issue #5): bin/sendevent while the agent is stopped
 * spools, and the agent delivers each spooled alarm once when it starts; a handler program in
 * etc/events runs for each alarm; the example handler bundle, hot-deployed into deploy/, receives
 * alarms at once.
 */
public class EventsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private Distribution dist;

    @Before
    public void setUp() throws IOException {
        dist = Distribution.fresh("events");
        Path dir = dist.home.resolve("etc/events/app/hung");
        Files.createDirectories(dir);
        Path handler = Files.copy(Path.of("src/test/resources/events/record-handler.sh"), dir.resolve("record"));
        Files.setPosixFilePermissions(handler, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @After
    public void tearDown() {
        if (dist != null) {
            dist.close();
        }
    }

    private Distribution.Result sendevent(String... args) {
        List<String> command = new ArrayList<>();
        command.add(dist.home.resolve("bin/sendevent").toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue("bin/sendevent ended", p.waitFor(120, TimeUnit.SECONDS));
            return new Distribution.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private List<String> handled() {
        try {
            Path f = dist.data().resolve("handled.txt");
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Path> spooled() throws IOException {
        Path spool = dist.data().resolve("events/spool");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (var s = Files.list(spool)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".alarm")).toList();
        }
    }

    @Test
    public void sendeventWhileStoppedIsSpooledAndDeliveredOnceAtStart() throws Exception {
        Distribution.Result first = sendevent("-C", "app", "-E", "hung", "-m", "probe", "-n", "web-rs", "-x", "two words");
        assertEquals(first.output(), 0, first.status());
        assertTrue(first.output(), first.output().contains("alarm spooled"));
        assertEquals(0, sendevent("-C", "app", "-E", "hung", "-m", "probe", "-n", "db-rs").status());
        Distribution.Result bad = sendevent("-C", "../etc", "-E", "hung", "-m", "probe", "-n", "x");
        assertEquals(2, bad.status());
        assertTrue(bad.output(), bad.output().contains("alarm class or event \"../etc\" is not valid"));
        assertEquals("two alarms spooled, the invalid one refused", 2, spooled().size());

        Distribution.Result start = dist.vigil("start");
        assertEquals(start.output(), 0, start.status());
        Await.until("both spooled alarms are handled", WAIT, () -> handled().size() >= 2);
        Await.until("the spool is empty", WAIT, () -> {
            try {
                return spooled().isEmpty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // A live alarm after them: once it is handled, any duplicate of the spooled ones would be too.
        Distribution.Result live = sendevent("-C", "app", "-E", "hung", "-m", "probe", "-n", "live-rs");
        assertEquals(live.output(), 0, live.status());
        assertTrue(live.output(), live.output().contains("accepted"));
        Await.until("the live alarm is handled", WAIT, () -> handled().size() >= 3);
        // Handlers of different alarms run in parallel: order the lines by the alarms' sequence
        // numbers (other alarms, e.g. Vigil's own, may take numbers in between).
        List<String> lines = new ArrayList<>(handled());
        lines.sort(java.util.Comparator.comparingLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))));
        assertEquals(lines.toString(), List.of("-C app -E hung -m probe -n web-rs -x two words",
                "-C app -E hung -m probe -n db-rs", "-C app -E hung -m probe -n live-rs"),
                lines.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList());
        Distribution.Result list = dist.vigil("events", "list", "-o", "json");
        assertEquals(list.output(), 0, list.status());
        assertTrue(list.output(), list.output().contains("\"spooled\" : true"));
        assertTrue(list.output(), list.output().contains("\"status\" : \"ok\""));
    }

    @Test
    public void hotDeployedHandlerBundleReceivesAlarms() throws Exception {
        assertEquals(0, dist.vigil("start").status());
        Path jar = Path.of(System.getProperty("vigil.itest.bundles", "target/bundles"),
                "io.vigil.examples.alarm-jsonl.jar");
        assertTrue("staged example bundle " + jar, Files.exists(jar));
        dist.drop(jar, "alarm-jsonl.jar");
        Await.until("the example handler is registered", WAIT,
                () -> dist.vigil("events", "handlers").output().contains("io.vigil.examples.alarm-jsonl"));
        Distribution.Result sent = sendevent("-C", "filesys", "-E", "diskfull", "-m", "df", "-n", "/var",
                "-s", "ERROR", "-x", "97% full");
        assertEquals(sent.output(), 0, sent.status());
        Path jsonl = dist.data().resolve("alarms.jsonl");
        String line = Await.value("the alarm is written as a JSON line", WAIT, () -> {
            try {
                return Files.exists(jsonl) ? Files.readString(jsonl) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, s -> s.contains("\"instance\":\"/var\""));
        assertTrue(line, line.contains("\"topic\":\"vigil/event/filesys/diskfull\""));
        assertTrue(line, line.contains("\"severity\":\"ERROR\""));
        assertTrue(line, line.contains("\"problemText\":\"97% full\""));
    }

    private static void script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void ok(String... args) {
        Distribution.Result r = dist.vigil(args);
        assertEquals(String.join(" ", args) + ": " + r.output(), 0, r.status());
    }

    @Test
    public void alarmForAResourceRecoversItLocallyOrRequestsAGiveover() throws Exception {
        Path methods = dist.home.resolve("methods");
        for (String m : List.of("start", "stop")) {
            script(methods.resolve(m), "exit 0");
        }
        script(methods.resolve("recovery/app/hung"), "echo \"$@\" > " + dist.data().resolve("recovered.txt") + "\nexit 0");
        script(methods.resolve("recovery/app/dead"), "echo cannot fix it\nexit 1");
        Files.writeString(methods.resolve("svc.rtr"), "Resource_type = svc; Vendor_id = EV; RT_version = \"1\"; "
                + "RT_basedir = " + methods + ";\nStart = start; Stop = stop;\n");
        assertEquals(0, dist.vigil("start").status());
        ok("clrt", "register", methods.resolve("svc.rtr").toString());
        ok("clrg", "create", "ev-rg");
        ok("clrs", "create", "-g", "ev-rg", "-t", "EV.svc", "ev-rs");
        ok("clrg", "online", "ev-rg");

        assertEquals(0, sendevent("-C", "app", "-E", "hung", "-m", "probe", "-n", "ev-rs").status());
        Await.until("the recovery program ran", WAIT, () -> Files.exists(dist.data().resolve("recovered.txt")));
        assertEquals("-C app -E hung -m probe -n ev-rs", Files.readString(dist.data().resolve("recovered.txt")).strip());
        Await.until("the alarm is recorded as recovered", WAIT,
                () -> dist.vigil("events", "list", "-o", "json").output().contains("\"status\" : \"recovered\""));

        assertEquals(0, sendevent("-C", "app", "-E", "dead", "-m", "probe", "-n", "ev-rs").status());
        String list = Await.value("the refused giveover is raised as an alarm", WAIT,
                () -> dist.vigil("events", "list", "-o", "json").output(),
                out -> out.contains("\"event\" : \"failover_refused\""));
        assertTrue(list, list.contains("\"status\" : \"local-failed\""));
        assertTrue(list, list.contains("\"status\" : \"failover-refused\""));
    }
}
