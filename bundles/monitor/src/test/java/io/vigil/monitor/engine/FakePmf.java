package io.vigil.monitor.engine;

import io.vigil.api.pmf.PmfListener;
import io.vigil.api.pmf.ProcessMonitor;
import io.vigil.api.pmf.ProcessSpec;
import io.vigil.api.pmf.TagStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A PMF that only keeps listeners; {@link #die} reports a death on the calling thread. */
final class FakePmf implements ProcessMonitor {

    final Map<Object, Map.Entry<String, PmfListener>> listeners = new ConcurrentHashMap<>();
    /** What {@link #list()} answers. */
    final List<TagStatus> tags = new java.util.concurrent.CopyOnWriteArrayList<>();

    void die(String tag) {
        for (Map.Entry<String, PmfListener> e : listeners.values()) {
            if (tag.startsWith(e.getKey())) {
                e.getValue().treeDied(tag, 1, true);
            }
        }
    }

    /** Reports, on the calling thread, that the PMF gave a tag's tree up after {@code restarts}. */
    void gaveUp(String tag, int restarts) {
        for (Map.Entry<String, PmfListener> e : listeners.values()) {
            if (tag.startsWith(e.getKey())) {
                e.getValue().treeDied(tag, restarts, false);
            }
        }
    }

    @Override
    public AutoCloseable addListener(String tagPrefix, PmfListener listener) {
        Object key = new Object();
        listeners.put(key, Map.entry(tagPrefix, listener));
        return () -> listeners.remove(key);
    }

    @Override
    public TagStatus start(ProcessSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean stop(String tag, int signal, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void signal(String tag, int signal) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void modify(String tag, int retries, Duration period) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<TagStatus> status(String tag) {
        return Optional.empty();
    }

    @Override
    public List<TagStatus> list() {
        return List.copyOf(tags);
    }
}
