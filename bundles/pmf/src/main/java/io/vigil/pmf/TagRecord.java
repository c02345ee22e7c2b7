package io.vigil.pmf;

import io.vigil.api.pmf.ProcessSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What is kept on disk of a tag, one JSON document per tag: its spec, the shim of its current
 * tree (so that a tree left without a shim can be found and killed), and whether it was given
 * up. Restart history is not kept: a restarted agent starts each budget afresh.
 *
 * @param format the layout version, {@value #FORMAT}
 * @param tag the tag
 * @param command the program and its arguments
 * @param environment the program's environment
 * @param workDir its working directory
 * @param retries restarts allowed within the period; -1 unlimited
 * @param period the window, ISO-8601 (e.g. {@code PT5M}); {@code PT0S} for none
 * @param action the action program and its arguments; null for none
 * @param childMonitorLevel the child monitor level
 * @param shimPid the current tree's shim, i.e. its session id; 0 when none
 * @param shimStartTime the shim's start time in clock ticks since boot; 0 when none
 * @param gaveUp whether the tag was given up
 */
record TagRecord(int format, String tag, List<String> command, Map<String, String> environment, String workDir,
        int retries, String period, List<String> action, int childMonitorLevel, long shimPid, long shimStartTime,
        boolean gaveUp) {

    static final int FORMAT = 1;

    static TagRecord of(ProcessSpec spec, long shimPid, long shimStartTime, boolean gaveUp) {
        return new TagRecord(FORMAT, spec.tag(), spec.command(), new TreeMap<>(spec.environment()),
                spec.workDir().toString(), spec.retries(), spec.period().toString(), spec.action().orElse(null),
                spec.childMonitorLevel(), shimPid, shimStartTime, gaveUp);
    }

    /**
     * @return the spec
     * @throws IllegalArgumentException if a field is missing or not valid, saying which
     */
    ProcessSpec spec() {
        if (format != FORMAT) {
            throw new IllegalArgumentException("format " + format + " is not known; expected " + FORMAT);
        }
        if (tag == null || command == null || environment == null || workDir == null || period == null) {
            throw new IllegalArgumentException("tag, command, environment, workDir and period are required");
        }
        Duration window;
        try {
            window = Duration.parse(period);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("period '" + period + "' is not an ISO-8601 duration such as PT5M");
        }
        return new ProcessSpec(tag, command, environment, Path.of(workDir), retries, window,
                Optional.ofNullable(action), childMonitorLevel);
    }
}
