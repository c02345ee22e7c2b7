package io.vigil.cluster.local;

import static io.vigil.api.cluster.StoreOperation.ABSENT;
import static io.vigil.api.cluster.StoreOperation.ANY;
import static io.vigil.api.cluster.StoreOperation.delete;
import static io.vigil.api.cluster.StoreOperation.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.cluster.StoreConflictException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster of one: its mode, its membership, its change notifications and its single coordinator term. */
class LocalClusterTest {

    @TempDir
    java.nio.file.Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"local", " Local ", "LOCAL"})
    void localModeIsTheLocalStore(String mode) {
        assertTrue(LocalCluster.isLocal(mode));
    }

    @Test
    void zookeeperModeLeavesTheStoreToTheOtherBundle() {
        assertFalse(LocalCluster.isLocal("zookeeper"));
    }

    @Test
    void anUnknownModeIsRefusedWithWhatIsExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalCluster.isLocal("zk"));
        assertEquals("cluster mode \"zk\" in configuration io.vigil.cluster is not valid; expected local or zookeeper",
                e.getMessage());
    }

    @Test
    void commitsReportTheirChangesOnceOnDisk() throws IOException, StoreConflictException {
        try (var closer = new Closer(new LocalClusterStore(tmp.resolve("c"), "node-1"))) {
            LocalClusterStore store = closer.store;
            List<LocalClusterStore.Change> changes = new ArrayList<>();
            store.onChanges(changes::addAll);
            store.commit(List.of(put("a", new byte[] {1}, ABSENT), put("b", new byte[] {2}, ABSENT)));
            store.commit(List.of(put("a", new byte[] {3}, 1), delete("b", 1), delete("never", ANY)));
            assertEquals(List.of(new LocalClusterStore.Change("a", 1, true), new LocalClusterStore.Change("b", 1, true),
                    new LocalClusterStore.Change("a", 2, false), new LocalClusterStore.Change("b", 0, false)), changes);
            assertThrows(StoreConflictException.class, () -> store.commit(List.of(put("a", new byte[] {4}, 1))));
            assertEquals(4, changes.size(), "a refused commit reports nothing");
        }
    }

    @Test
    void theOnlyNodeIsUpAndCoordinatesForEverInOneTerm() throws IOException, StoreConflictException {
        LocalMembership membership = new LocalMembership("node-1");
        assertEquals("node-1", membership.localNode());
        assertEquals(NodeState.UP, membership.localState());
        assertEquals(List.of("node-1"), membership.nodes().stream().map(ClusterNode::name).toList());
        assertTrue(membership.node("node-1").isPresent());
        assertTrue(membership.node("node-2").isEmpty());
        assertEquals(new Coordinator("node-1", ClusterStore.SINGLE_NODE_EPOCH), membership.coordinator().orElseThrow());
        assertTrue(membership.isCoordinator());

        try (var closer = new Closer(new LocalClusterStore(tmp.resolve("c"), "node-1"))) {
            closer.store.commitFenced(ClusterStore.SINGLE_NODE_EPOCH, List.of(put("p", new byte[] {1}, ABSENT)));
            StoreConflictException e = assertThrows(StoreConflictException.class,
                    () -> closer.store.commitFenced(2, List.of(put("p", new byte[] {2}, 1))));
            assertEquals(ClusterStore.EPOCH_KEY, e.key());
            assertEquals(1, closer.store.get("p").orElseThrow().version());
        }
    }

    /** Closes a store at the end of a try block. */
    private record Closer(LocalClusterStore store) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            store.close();
        }
    }
}
