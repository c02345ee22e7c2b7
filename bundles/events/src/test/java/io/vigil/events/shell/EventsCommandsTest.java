package io.vigil.events.shell;

import io.vigil.testing.MemoryStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.events.EventsView;
import io.vigil.events.dispatch.AlarmRecord;
import io.vigil.events.recovery.Policies;
import io.vigil.events.send.SendEventArgs;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsCommandsTest {

    private final List<List<String>> sent = new ArrayList<>();
    private final Policies policies = new Policies(new MemoryStore());

    private final EventsCommands commands = new EventsCommands(new EventsView() {
        @Override
        public List<AlarmRecord> recent() {
            return List.of();
        }

        @Override
        public Map<String, List<Path>> programHandlers() {
            return Map.of("app/hung", List.of(Path.of("/etc/events/app/hung/page")));
        }

        @Override
        public List<Map<String, String>> bundleHandlers() {
            return List.of(Map.of("bundle", "example (12)", "topics", "vigil/event/*"));
        }

        @Override
        public List<Map<String, String>> recoveryHandlers() {
            return List.of();
        }

        @Override
        public Policies policies() {
            return policies;
        }

        @Override
        public long sendevent(List<String> argv) {
            SendEventArgs.parse(argv, ZoneOffset.UTC);
            sent.add(argv);
            return sent.size();
        }
    });

    @Test
    void sendeventPassesTheFlagsAndReportsTheSequence() {
        assertEquals("alarm 1 accepted\n", commands.sendevent("-C", "app", "-E", "hung", "-m", "p", "-n", "x"));
        assertEquals(List.of(List.of("-C", "app", "-E", "hung", "-m", "p", "-n", "x")), sent);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.sendevent("-C", "app"))
                .getMessage().startsWith("option -E (event) is required"));
    }

    @Test
    void policiesAreSetShownAndRemoved() throws Exception {
        assertEquals("policies set for resource web-rs: {TemporalRecovery=3/30m}\n",
                commands.events("policy", "set", "-r", "web-rs", "TemporalRecovery=3/30m"));
        commands.events("policy", "set", "Failover=off");
        String shown = commands.events("policy", "-r", "web-rs");
        assertTrue(shown.contains("TemporalRecovery   3/30m (resource)"), shown);
        assertTrue(shown.contains("Failover           off (node)"), shown);
        assertTrue(shown.contains("LocalRecovery      on (default)"), shown);
        commands.events("policy", "remove", "Failover");
        assertTrue(commands.events("policy").contains("Failover           on (default)"));
        assertTrue(commands.events("policy", "-o", "json").contains("\"defaults\""));
    }

    @Test
    void handlersListsProgramsAndBundles() throws Exception {
        String out = commands.events("handlers");
        assertTrue(out.contains("app/hung  /etc/events/app/hung/page"), out);
        assertTrue(out.contains("vigil/event/*  example (12)"), out);
    }

    @Test
    void badCommandLinesSayWhatIsExpected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.events("bogus"))
                .getMessage().startsWith("unknown events subcommand 'bogus'; expected events list"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.events("list", "-n", "many"))
                .getMessage().startsWith("option -n many is not a count"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.events("list", "-o", "xml"))
                .getMessage().startsWith("output format xml is not known"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.events("policy", "set", "Failover"))
                .getMessage().startsWith("policy Failover is not Name=value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.events())
                .getMessage().startsWith("events needs a subcommand"));
    }
}
