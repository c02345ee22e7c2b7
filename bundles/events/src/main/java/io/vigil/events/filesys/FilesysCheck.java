package io.vigil.events.filesys;

import io.vigil.api.alarm.Alarm;
import io.vigil.api.alarm.AlarmEvents;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the filesys monitor (LifeKeeper's {@code filesys} alarms): {@code diskfull} when a
 * watched mount point's usage rises above the warning or the error threshold, {@code badmount}
 * when an expected mount point is not mounted, or is mounted without an expected option (checked
 * against the mount table), or when a watched mount point's usage cannot be read (unless it is also
 * expected and reported as badmount already). An alarm is raised when a mount point's condition
 * changes, not at every pass: from below to above the warning, from warning to error, from mounted
 * to missing, from readable to unreadable (or to another reason); a recovery (back below the
 * warning, mounted again, readable again) is logged and raises nothing.
 */
public final class FilesysCheck {

    /** The alarm class. */
    public static final String CLASS = "filesys";
    /** The monitor name ({@code -m}). */
    public static final String MONITOR = "vigil-filesys";

    /**
     * A mount point the configuration or a resource expects.
     *
     * @param mountPoint the path
     * @param options options it must be mounted with; empty for any
     */
    public record Expected(String mountPoint, Set<String> options) {

        /**
         * @param spec {@code /path} or {@code /path:opt1,opt2}
         * @return the expectation
         * @throws IllegalArgumentException if the path is not absolute
         */
        public static Expected parse(String spec) {
            int colon = spec.indexOf(':');
            String path = colon < 0 ? spec.trim() : spec.substring(0, colon).trim();
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("expected mount \"" + spec + "\" is not valid; expected an absolute "
                        + "path, optionally followed by :option,option");
            }
            Set<String> opts = colon < 0 || spec.substring(colon + 1).isBlank() ? Set.of()
                    : Set.of(spec.substring(colon + 1).trim().split("\\s*,\\s*"));
            return new Expected(path, opts);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(FilesysCheck.class);

    private final FilesystemView view;
    private final Map<String, Integer> level = new HashMap<>();
    private final Map<String, String> mountProblem = new HashMap<>();
    private final Map<String, String> unreadable = new HashMap<>();

    /** @param view what is seen of the file systems */
    public FilesysCheck(FilesystemView view) {
        this.view = view;
    }

    /**
     * Checks once.
     *
     * @param watched mount points whose usage is watched
     * @param warnPercent the warning threshold
     * @param errorPercent the error threshold
     * @param expected mounts that must be there
     * @return the alarms to raise
     */
    public synchronized List<Alarm> check(List<String> watched, double warnPercent, double errorPercent,
            List<Expected> expected) {
        List<Alarm> out = new ArrayList<>();
        Map<String, String> cannotRead = new java.util.LinkedHashMap<>();
        for (String mp : watched) {
            double used;
            try {
                used = view.usedPercent(Path.of(mp));
            } catch (IOException e) {
                cannotRead.put(mp, mp + " is watched for diskfull but its usage cannot be read: " + e.getMessage());
                continue;
            }
            if (unreadable.remove(mp) != null) {
                LOG.info("Watched mount point {} can be read again", mp);
            }
            int now = used >= errorPercent ? 2 : used >= warnPercent ? 1 : 0;
            int before = level.getOrDefault(mp, 0);
            level.put(mp, now);
            if (now > before) {
                String severity = now == 2 ? "ERROR" : "WARNING";
                out.add(alarm("diskfull", mp, severity, String.format(java.util.Locale.ROOT,
                        "%s is %.1f%% full (%s threshold %.0f%%)", mp, used, now == 2 ? "error" : "warning",
                        now == 2 ? errorPercent : warnPercent), String.format(java.util.Locale.ROOT, "%.1f", used)));
            }
        }
        Set<String> badlyMounted = expected.isEmpty() ? Set.of() : checkMounts(expected, out);
        for (Map.Entry<String, String> c : cannotRead.entrySet()) {
            String mp = c.getKey();
            if (badlyMounted.contains(mp)) {
                continue; // expected and not mounted as expected: the badmount of that says it
            }
            if (!c.getValue().equals(unreadable.put(mp, c.getValue()))) {
                out.add(alarm("badmount", mp, "ERROR", c.getValue(), mp));
            }
        }
        return out;
    }

    /** @return the expected mount points reported (now or before) as badly mounted, or all when unknown */
    private Set<String> checkMounts(List<Expected> expected, List<Alarm> out) {
        Set<String> bad = new java.util.HashSet<>();
        List<FilesystemView.Mount> mounts;
        try {
            mounts = view.mounts();
        } catch (IOException e) {
            out.add(alarm("badmount", "mount-table", "ERROR", "the mount table cannot be read: " + e.getMessage(), ""));
            expected.forEach(x -> bad.add(x.mountPoint()));
            return bad;
        }
        for (Expected e : expected) {
            Optional<String> problem = problem(e, mounts);
            String before = mountProblem.get(e.mountPoint());
            if (problem.isPresent() && !problem.get().equals(before)) {
                out.add(alarm("badmount", e.mountPoint(), "ERROR", problem.get(), e.mountPoint()));
            }
            if (problem.isPresent()) {
                mountProblem.put(e.mountPoint(), problem.get());
                bad.add(e.mountPoint());
            } else {
                mountProblem.remove(e.mountPoint());
            }
        }
        return bad;
    }

    private static Optional<String> problem(Expected e, List<FilesystemView.Mount> mounts) {
        FilesystemView.Mount found = null;
        for (FilesystemView.Mount m : mounts) {
            if (m.mountPoint().equals(e.mountPoint())) {
                found = m; // the last mount on a path is the one in effect
            }
        }
        if (found == null) {
            return Optional.of(e.mountPoint() + " is not mounted");
        }
        FilesystemView.Mount last = found;
        List<String> missing = e.options().stream().filter(o -> !last.options().contains(o)).sorted().toList();
        return missing.isEmpty() ? Optional.empty() : Optional.of(e.mountPoint() + " is mounted with options "
                + String.join(",", last.options()) + ", without expected " + String.join(",", missing));
    }

    private static Alarm alarm(String event, String instance, String severity, String text, String data) {
        Alarm.Builder b = Alarm.builder(CLASS, event).monitor(MONITOR).instance(instance)
                .attribute(AlarmEvents.OBJECT_CLASS, "filesys").attribute(AlarmEvents.SEVERITY, severity)
                .attribute(AlarmEvents.PROBLEM_TEXT, text);
        if (!data.isEmpty()) {
            b.attribute(AlarmEvents.PROBLEM_DATA, data);
        }
        return b.build();
    }
}
