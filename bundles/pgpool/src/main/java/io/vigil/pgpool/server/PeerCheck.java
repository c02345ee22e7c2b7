package io.vigil.pgpool.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Who may use the compatible server's socket: the agent's own user, and root. */
final class PeerCheck {

    private PeerCheck() {
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

    /**
     * @return the effective uid of this process: the owner of {@code /proc/self}
     * @throws IOException if it cannot be read
     */
    static long agentUid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }
}
