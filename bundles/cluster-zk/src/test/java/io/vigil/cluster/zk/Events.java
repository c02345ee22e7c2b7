package io.vigil.cluster.zk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Collects what a {@link ZkCluster} posts, and waits for an event without sleeping. */
final class Events implements Notifier {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One event. */
    record Posted(String topic, Map<String, Object> properties) {
        Object get(String name) {
            return properties.get(name);
        }
    }

    private final LinkedBlockingQueue<Posted> queue = new LinkedBlockingQueue<>();
    private final List<Posted> seen = new ArrayList<>();

    @Override
    public void post(String topic, Map<String, Object> properties) {
        queue.add(new Posted(topic, Map.copyOf(properties)));
    }

    /**
     * Waits for the next event on a topic that matches, skipping others.
     *
     * @param topic the topic
     * @param matches what its properties must satisfy
     * @return the event
     * @throws AssertionError when none comes within {@link #TIMEOUT}, listing what came
     */
    Posted await(String topic, Predicate<Map<String, Object>> matches) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Posted p = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (p == null) {
                throw new AssertionError("no event " + topic + " came within " + TIMEOUT + "; seen: " + seen);
            }
            seen.add(p);
            if (p.topic().equals(topic) && matches.test(p.properties())) {
                return p;
            }
        }
    }

    /** Waits for the next event on a topic. */
    Posted await(String topic) throws InterruptedException {
        return await(topic, p -> true);
    }

    /** @return the topics of every event taken so far, in order */
    List<String> topicsSeen() {
        return seen.stream().map(Posted::topic).toList();
    }
}
