package io.vigil.healthcheck.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.healthcheck.core.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceSpecTest {

    static String error(String command) {
        return assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse(command)).getMessage();
    }

    @Test
    void everyFormIsRecognisedWithItsStarPartInAnyCase() {
        assertEquals(new SourceSpec.Agent(), SourceSpec.parse("*AGENT"));
        assertEquals(new SourceSpec.Cluster(), SourceSpec.parse("*cluster"));
        assertEquals(new SourceSpec.Group("rg1", false), SourceSpec.parse("*rg:rg1"));
        assertEquals(new SourceSpec.Group("Web_rg-2.a", true), SourceSpec.parse("*RG:Web_rg-2.a@Cluster"));
        assertEquals(new SourceSpec.Resource("db"), SourceSpec.parse("*rs:db"));
        assertEquals(new SourceSpec.CommandLine("/bin/check -x"), SourceSpec.parse("/bin/check -x"));
        assertFalse(SourceSpec.parse("*agent").agentOnly());
        assertFalse(SourceSpec.parse("true").agentOnly());
        assertTrue(SourceSpec.parse("*cluster").agentOnly() && SourceSpec.parse("*rg:a@cluster").agentOnly()
                && SourceSpec.parse("*rs:a").agentOnly());
    }

    @Test
    void badNamesGiveOneMessageNamingTheSourceAndEveryForm() {
        String forms = "; expected a command line, *agent, *cluster, *rg:<group>, *rg:<group>@cluster or *rs:<resource>";
        assertEquals("command = *rg: is invalid: the group name is missing" + forms, error("*rg:"));
        assertEquals("command = *rg:@cluster is invalid: the group name is missing" + forms, error("*rg:@cluster"));
        assertEquals("command = *rs:1db is invalid: '1db' is not a resource name (a letter, then at most 254 letters,"
                + " digits, '_', '.' or '-')" + forms, error("*rs:1db"));
        assertEquals("command = *rg:a b is invalid: 'a b' is not a group name (a letter, then at most 254 letters,"
                + " digits, '_', '.' or '-')" + forms, error("*rg:a b"));
        assertEquals("command = *rg:rg1@node-a is invalid: '@node-a' is not a scope; the only one is @cluster" + forms,
                error("*rg:rg1@node-a"));
        assertEquals("command = *rs:db@cluster is invalid: a resource has no @cluster form (it runs where its group"
                + " runs: use *rg:<group>@cluster)" + forms, error("*rs:db@cluster"));
        assertEquals("command = *clusters is unknown" + forms, error("*clusters"));
        assertTrue(error("*GGAPS").startsWith("command = *GGAPS is not supported"));
    }

    @Test
    void agentOnlySourcesAreRefusedOutsideTheAgentAndFencedInside() {
        Settings cluster = Settings.of("t", Map.of("command", "*cluster"));
        assertEquals("command = *cluster is answered by the Vigil agent only; expected a command line or *agent here"
                + " (configure the responder in the agent's etc/ or deploy/)",
                assertThrows(IllegalArgumentException.class, () -> Sources.create(cluster, "x", false)).getMessage());
        assertInstanceOf(ClusterStatus.class, Sources.create(cluster, "x", true));
        assertInstanceOf(AgentStatus.class, Sources.create(Settings.of("t", Map.of("command", "*agent")), "x", false));
        for (String fenced : new String[] {"*agent", "*rg:rg1", "*rs:db", "*rg:rg1@cluster"}) {
            StatusSource s = Sources.create(Settings.of("t", Map.of("command", fenced)), "x", true);
            assertInstanceOf(Fenced.class, s, fenced);
        }
        assertEquals("group rg1 on any node",
                Sources.create(Settings.of("t", Map.of("command", "*rg:rg1@cluster")), "x", true).describe());
    }
}
