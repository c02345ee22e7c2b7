package io.vigil.cluster.local;

import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link CrashTest} kills: opens the store in {@code args[0]}, prints {@code open <revision>},
 * then commits in a loop until killed, printing each revision once its commit has returned.
 *
 * <p>Every commit writes its own revision number into each of the keys {@code crash/key-0} ..
 * {@code crash/key-<args[1]-1>}, and puts {@code crash/odd} on odd revisions and deletes it on even ones.
 * So a store that holds one whole commit has every key equal to its revision, at version = revision.
 */
public final class CrashChild {

    static final String KEY_PREFIX = "crash/key-";
    static final String ODD_KEY = "crash/odd";
    static final String NODE = "crash-child";

    private CrashChild() {
    }

    /**
     * @param args the store directory and the number of keys each commit writes
     * @throws Exception on any failure, ending the process
     */
    public static void main(String[] args) throws Exception {
        LocalClusterStore store = new LocalClusterStore(Path.of(args[0]), NODE);
        int keys = Integer.parseInt(args[1]);
        System.out.println("open " + store.revision());
        while (true) {
            long next = store.revision() + 1;
            byte[] value = Long.toString(next).getBytes(StandardCharsets.US_ASCII);
            List<StoreOperation> ops = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                ops.add(StoreOperation.put(KEY_PREFIX + i, value, version(store, KEY_PREFIX + i)));
            }
            ops.add(next % 2 == 1
                    ? StoreOperation.put(ODD_KEY, value, StoreOperation.ABSENT)
                    : StoreOperation.delete(ODD_KEY, version(store, ODD_KEY)));
            store.commit(ops);
            System.out.println(next);
        }
    }

    private static long version(LocalClusterStore store, String key) {
        return store.get(key).map(StoreEntry::version).orElse(StoreOperation.ABSENT);
    }
}
