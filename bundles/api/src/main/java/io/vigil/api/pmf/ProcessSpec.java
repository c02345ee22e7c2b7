package io.vigil.api.pmf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to supervise under a tag ({@code pmfadm -c}).
 *
 * @param tag the tag: letters, digits, {@code _ - . ,}; at most 255 characters
 * @param command the program (absolute path) and its arguments
 * @param environment the program's whole environment
 * @param workDir its working directory
 * @param retries restarts allowed within {@code period} ({@code -n}); 0 for none, -1 for unlimited
 * @param period the window of the retry budget ({@code -t}); {@link Duration#ZERO} for "ever"
 * @param action a program run when the budget is exhausted ({@code -a}): exit 0 restarts the
 *        tree again, any other status gives up. As with {@code pmfadm}, it gets the arguments
 *        {@code failed} and the tag appended, runs in {@code workDir}, and its environment holds only
 *        {@code PATH}
 * @param childMonitorLevel how deep the tree is watched ({@code -C}): 0 the launched process only,
 *        -1 every descendant, n &gt; 0 descendants up to depth n
 */
public record ProcessSpec(String tag, List<String> command, Map<String, String> environment, Path workDir,
        int retries, Duration period, Optional<List<String>> action, int childMonitorLevel) {

    /** Checks for nulls and copies the collections. */
    public ProcessSpec {
        Objects.requireNonNull(tag, "tag");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command is required; expected a program and its arguments");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(period, "period");
        action = action.map(List::copyOf);
        if (retries < -1) {
            throw new IllegalArgumentException("retries " + retries + " is not valid; expected -1 (unlimited) or more");
        }
        if (childMonitorLevel < -1) {
            throw new IllegalArgumentException("child monitor level " + childMonitorLevel
                    + " is not valid; expected -1 (all) or more");
        }
    }
}
