package io.vigil.monitor.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose tasks run only when {@link #runDue()} is called, on the calling thread,
 * whatever their delay: a one-shot task once, a periodic one at every call. Only
 * {@code schedule(Runnable, ...)} and {@code scheduleWithFixedDelay} are supported.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** A task. */
    static final class Task implements ScheduledFuture<Object> {
        final Runnable command;
        final Duration delay;
        final boolean periodic;
        volatile boolean cancelled;
        volatile boolean ran;

        Task(Runnable command, Duration delay, boolean periodic) {
            this.command = command;
            this.delay = delay;
            this.periodic = periodic;
        }

        boolean live() {
            return !cancelled && !(ran && !periodic);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delay);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return !live();
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }

    final List<Task> tasks = new CopyOnWriteArrayList<>();

    /**
     * Runs every live task once (those scheduled meanwhile wait for the next call).
     *
     * @return how many ran
     */
    int runDue() {
        int n = 0;
        for (Task t : tasks) {
            if (t.live()) {
                t.ran = true;
                t.command.run();
                n++;
            }
        }
        return n;
    }

    /** @return the tasks that would run at the next {@link #runDue()} */
    List<Task> live() {
        return tasks.stream().filter(Task::live).toList();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Task t = new Task(command, Duration.of(delay, unit.toChronoUnit()), true);
        tasks.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task t = new Task(command, Duration.of(delay, unit.toChronoUnit()), false);
        tasks.add(t);
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    @Override
    public void execute(Runnable command) {
        throw new UnsupportedOperationException();
    }
}
