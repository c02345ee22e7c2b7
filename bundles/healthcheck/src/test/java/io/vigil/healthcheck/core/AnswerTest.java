package io.vigil.healthcheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnswerTest {

    private static String agent(Answer a) {
        return new String(a.agentLine(), StandardCharsets.US_ASCII);
    }

    @Test
    void onlyAHealthyReadyServerIsUp() {
        assertTrue(Answer.of(Health.up("ok"), AdminState.READY, 100).serverUp());
        assertFalse(Answer.of(Health.up("ok"), AdminState.DRAIN, 100).serverUp());
        assertFalse(Answer.of(Health.up("ok"), AdminState.MAINT, 100).serverUp());
        assertFalse(Answer.of(Health.down("x"), AdminState.READY, 100).serverUp());
    }

    @Test
    void agentLinesCarryWeightAdminStateAndHealth() {
        assertEquals("100% ready up\n", agent(Answer.of(Health.up("ok"), AdminState.READY, 100)));
        assertEquals("75% drain up\n", agent(Answer.of(Health.up("ok"), AdminState.DRAIN, 75)));
        assertEquals("0% maint up\n", agent(Answer.of(Health.up("ok"), AdminState.MAINT, 0)));
        // a manual ready never masks a local failure
        assertEquals("100% ready down #command exited with status 2\n",
                agent(Answer.of(Health.down("command exited with status 2"), AdminState.READY, 100)));
        assertEquals("100% ready down #line one line two\n", agent(Answer.of(Health.down("line one\nline two\u00e9"),
                AdminState.READY, 100)));
    }

    @Test
    void theReplyIsTheReceivedBytesAndTheStatus() {
        byte[] in = "ping\nrest".getBytes(StandardCharsets.US_ASCII);
        assertEquals("ping\nserver = DOWN", new String(Answer.of(Health.down("x"), AdminState.READY, 100).reply(in, 5),
                StandardCharsets.US_ASCII));
    }
}
