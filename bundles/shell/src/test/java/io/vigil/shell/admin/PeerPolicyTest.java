package io.vigil.shell.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeerPolicyTest {

    @Test
    void agentUserAndRootAreAllowed() {
        assertTrue(PeerPolicy.refusal(1000, 1000).isEmpty());
        assertTrue(PeerPolicy.refusal(0, 1000).isEmpty());
    }

    @Test
    void othersAreRefusedWithTheReason() {
        assertEquals("uid 1001 is neither the agent's uid 1000 nor root", PeerPolicy.refusal(1001, 1000).orElseThrow());
        assertEquals("peer credentials could not be read", PeerPolicy.refusal(-1, 1000).orElseThrow());
    }
}
