package io.vigil.pmf;

import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.testing.Await;
import io.vigil.api.pmf.PmfListener;
import io.vigil.api.pmf.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Scripts, specs, a settable clock, a recording listener and supervisor checks for the PMF's tests. */
final class Fixtures {

    static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL", "C");

    private Fixtures() {
    }

    /** Writes {@code #!/bin/sh} plus the body to dir/name, mode 0755. */
    static Path script(Path dir, String name, String body) {
        Path p = dir.resolve(name);
        try {
            Files.writeString(p, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Single-quotes a path for a shell script. */
    static String q(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }

    static ProcessSpec spec(String tag, Path dir, int retries, Duration period, int level, List<String> command) {
        return new ProcessSpec(tag, command, ENV, dir, retries, period, Optional.empty(), level);
    }

    static ProcessSpec withAction(ProcessSpec s, List<String> action) {
        return new ProcessSpec(s.tag(), s.command(), s.environment(), s.workDir(), s.retries(), s.period(),
                Optional.of(action), s.childMonitorLevel());
    }

    /** The pid written to a file, once it is there. */
    static long pidIn(Path file) {
        Await.until("a pid in " + file, () -> {
            try {
                return Files.exists(file) && Files.readString(file).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A death reported to a listener. */
    record Death(String tag, int restarts, boolean restarting) {
    }

    /** A listener that queues what it is told. */
    static final class Deaths implements PmfListener {
        private final BlockingQueue<Death> queue = new LinkedBlockingQueue<>();

        @Override
        public void treeDied(String tag, int restartsInWindow, boolean restarting) {
            queue.add(new Death(tag, restartsInWindow, restarting));
        }

        /** The next death, waiting up to {@link Await#PATIENCE} for it. */
        Death next() {
            try {
                Death d = queue.poll(Await.PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
                if (d == null) {
                    fail("no death reported within " + Await.PATIENCE);
                }
                return d;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /**
         * The deaths reported and not yet taken, without waiting: only meaningful once whatever could
         * report one has finished (see {@link #awaitNoSupervisor}).
         */
        List<Death> pending() {
            List<Death> left = new java.util.ArrayList<>();
            queue.drainTo(left);
            return left;
        }
    }

    /**
     * The live supervisor threads of a tag. The PMF tells its listeners of a death on the tag's
     * supervisor thread, named {@code vigil-pmf <tag>}, so once none is left every death of the tag
     * has been reported.
     */
    static List<Thread> supervisors(String tag) {
        String name = "vigil-pmf " + tag;
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .toList();
    }

    /** Waits until no supervisor thread of the tag is left. */
    static void awaitNoSupervisor(String tag) {
        Await.until("the supervisor of " + tag + " to end", () -> supervisors(tag).isEmpty());
    }

    /** A clock the test moves. */
    static final class SettableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-01-01T00:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
