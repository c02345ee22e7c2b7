package io.vigil.rgm.engine;

import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import io.vigil.api.rgm.RgmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks another node to do something and waits for its answer, through the cluster store: the
 * request is a key {@code rgm/requests/<node>/<id>} that the node sees appear (a change event),
 * handles, and replaces by {@code rgm/replies/<id>} in one commit. Used for Monitor_check on a
 * giveover's candidates, Validate on the other Init_nodes, and asking the coordinator to place a group.
 */
final class Requests implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
    static final String REQUESTS = "rgm/requests/";
    static final String REPLIES = "rgm/replies/";

    /** Kinds of request. */
    static final String MONITOR_CHECK = "monitor_check";
    static final String PLACE = "place";
    /** A giveover's placement: refused for an evacuated node, which it leaves evacuated. */
    static final String GIVE = "give";
    static final String EVACUATE = "evacuate";
    static final String VALIDATE = "validate";

    /**
     * A request.
     *
     * @param id unique in the cluster
     * @param from the asking node
     * @param type what to do
     * @param group the group concerned, or empty
     * @param nodes the nodes concerned, or empty
     * @param reason why, for logs
     * @param validation what a {@link #VALIDATE} request is to validate, else null
     */
    record Request(String id, String from, String type, String group, List<String> nodes, String reason,
            Validation validation) {
        Request {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
            group = group == null ? "" : group;
            reason = reason == null ? "" : reason;
        }

        Request(String id, String from, String type, String group, List<String> nodes, String reason) {
            this(id, from, type, group, nodes, reason, null);
        }
    }

    /**
     * A resource's properties to run Validate on, as a node that creates or changes it asks every
     * other Init_node.
     *
     * @param resource the resource
     * @param resourceType its type
     * @param update whether it is a change ({@code -u}) rather than a creation ({@code -c})
     * @param properties every property the resource would have
     * @param changed the properties given on the command line
     */
    record Validation(String resource, String resourceType, boolean update, Map<String, String> properties,
            List<String> changed) {
        Validation {
            properties = properties == null ? Map.of() : Map.copyOf(properties);
            changed = changed == null ? List.of() : List.copyOf(changed);
        }
    }

    /**
     * An answer.
     *
     * @param id the request's
     * @param ok whether it was done (or passed)
     * @param message what happened
     */
    record Reply(String id, boolean ok, String message) {
    }

    private final ClusterPlane plane;
    private final Function<Request, Reply> handler;
    private final ExecutorService workers;
    private final Map<String, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    /** Request id to the node asked, while its answer is awaited. */
    private final Map<String, String> asked = new ConcurrentHashMap<>();
    private final Map<String, Boolean> handling = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis());

    /**
     * @param plane the cluster view
     * @param handler does what a request asks, on a worker thread
     */
    Requests(ClusterPlane plane, Function<Request, Reply> handler) {
        this.plane = plane;
        this.handler = handler;
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rgm-request");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Asks a node and waits for its answer.
     *
     * @param node the node
     * @param type what to do
     * @param group the group concerned
     * @param nodes the nodes concerned
     * @param reason why
     * @param timeout how long to wait
     * @return the answer
     * @throws RgmException if the request could not be stored or no answer came in time
     */
    Reply call(String node, String type, String group, List<String> nodes, String reason, Duration timeout)
            throws RgmException {
        return call(node, type, group, nodes, reason, null, timeout);
    }

    /**
     * Asks a node to run Validate and waits for its answer.
     *
     * @param node the node
     * @param group the resource's group
     * @param validation what to validate
     * @param timeout how long to wait
     * @return the answer
     * @throws RgmException if the request could not be stored or no answer came in time
     */
    Reply validate(String node, String group, Validation validation, Duration timeout) throws RgmException {
        return call(node, VALIDATE, group, List.of(), "validate " + validation.resource(), validation, timeout);
    }

    private Reply call(String node, String type, String group, List<String> nodes, String reason, Validation validation,
            Duration timeout) throws RgmException {
        String id = plane.local() + "-" + sequence.incrementAndGet();
        Request r = new Request(id, plane.local(), type, group, nodes, reason, validation);
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        asked.put(id, node);
        String key = REQUESTS + node + "/" + id;
        try {
            plane.store().commit(List.of(StoreOperation.put(key, plane.json.writeValueAsBytes(r), StoreOperation.ABSENT)));
            replyArrived(REPLIES + id); // in case it came before the future was looked at
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | StoreConflictException | UncheckedIOException e) {
            throw new RgmException("cannot ask node " + node + " (" + type + "): " + e.getMessage(), e);
        } catch (TimeoutException e) {
            bestEffortDelete(key);
            throw new RgmException("node " + node + " did not answer " + type + " of " + group + " within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RgmException left) {
                throw left;
            }
            throw new RgmException("asking node " + node + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RgmException("interrupted while waiting for node " + node);
        } finally {
            waiting.remove(id);
            asked.remove(id);
            bestEffortDelete(REPLIES + id);
        }
    }

    /**
     * A store key changed: a request for this node, or an answer to one of its own.
     *
     * @param key the key
     */
    void changed(String key) {
        if (key.startsWith(REPLIES)) {
            replyArrived(key);
        } else if (key.startsWith(REQUESTS + plane.local() + "/")) {
            handle(key);
        }
    }

    /**
     * A node left the cluster: what was asked of it will not be answered, so its callers are told
     * now rather than at their timeouts (a method's, which may be an hour).
     *
     * @param node the node
     */
    void nodeLeft(String node) {
        asked.forEach((id, n) -> {
            CompletableFuture<Reply> f = waiting.get(id);
            if (n.equals(node) && f != null) {
                f.completeExceptionally(new RgmException("node " + node + " left the cluster before it answered"));
            }
        });
    }

    /** Handles every request addressed to this node that is still stored (after a start or reconnection). */
    void drain() {
        for (StoreEntry e : plane.store().list(REQUESTS + plane.local() + "/")) {
            handle(e.key());
        }
    }

    private void replyArrived(String key) {
        String id = key.substring(REPLIES.length());
        CompletableFuture<Reply> f = waiting.get(id);
        if (f == null || f.isDone()) {
            return;
        }
        try {
            Optional<StoreEntry> e = plane.store().get(key);
            if (e.isPresent()) {
                f.complete(plane.json.readValue(e.get().value(), Reply.class));
            }
        } catch (IOException | UncheckedIOException e) {
            f.completeExceptionally(e);
        }
    }

    private void handle(String key) {
        if (handling.putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        workers.execute(() -> {
            try {
                Optional<StoreEntry> e = plane.store().get(key);
                if (e.isEmpty()) {
                    return;
                }
                Request r = plane.json.readValue(e.get().value(), Request.class);
                Reply reply;
                try {
                    reply = handler.apply(r);
                } catch (RuntimeException ex) {
                    LOG.error("Request {} from {} failed: {}", r.type(), r.from(), ex.toString(), ex);
                    reply = new Reply(r.id(), false, "internal error: " + ex);
                }
                plane.store().commit(List.of(StoreOperation.delete(key, e.get().version()),
                        StoreOperation.put(REPLIES + r.id(), plane.json.writeValueAsBytes(reply), StoreOperation.ANY)));
            } catch (IOException | StoreConflictException | UncheckedIOException ex) {
                LOG.warn("Request {} could not be answered: {}", key, ex.getMessage());
            } finally {
                handling.remove(key);
            }
        });
    }

    private void bestEffortDelete(String key) {
        try {
            plane.store().commit(List.of(StoreOperation.delete(key, StoreOperation.ANY)));
        } catch (IOException | StoreConflictException | UncheckedIOException e) {
            LOG.debug("{} not deleted: {}", key, e.getMessage());
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
