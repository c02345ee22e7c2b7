package io.vigil.shell.admin;

import java.util.Optional;

/** Who may use the admin socket: the agent's own user, and root. */
final class PeerPolicy {

    private PeerPolicy() {
    }

    /**
     * @param peerUid the connecting process's uid, or -1 when it could not be read
     * @param agentUid the agent's uid
     * @return empty when the peer is allowed, otherwise why it is refused
     */
    static Optional<String> refusal(long peerUid, long agentUid) {
        if (peerUid < 0) {
            return Optional.of("peer credentials could not be read");
        }
        if (peerUid == agentUid || peerUid == 0) {
            return Optional.empty();
        }
        return Optional.of("uid " + peerUid + " is neither the agent's uid " + agentUid + " nor root");
    }
}
