package io.vigil.rgm.engine;

import io.vigil.api.pmf.ProcessMonitor;
import io.vigil.api.pmf.TagStatus;

/**
 * What the process monitor facility supervises for a resource: after an agent restart, a
 * resource whose service tree still runs under PMF is adopted instead of started a second time.
 * Tags follow Sun Cluster's {@code <group>,<resource>,<instance>.svc} and {@code .mon}.
 */
@FunctionalInterface
interface Supervision {

    /** What runs for a resource. */
    enum Running {
        /** Nothing supervised runs. */
        NOTHING,
        /** Its service runs, its fault monitor does not. */
        SERVICE,
        /** Its service and its fault monitor run. */
        SERVICE_AND_MONITOR
    }

    /**
     * @param group the group's name
     * @param resource the resource's name
     * @return what runs for it now
     */
    Running running(String group, String resource);

    /** Nothing is ever found running (no PMF, or tests). */
    Supervision NONE = (g, r) -> Running.NOTHING;

    /**
     * @param pmf the process monitor facility
     * @return the supervision its tags show
     */
    static Supervision of(ProcessMonitor pmf) {
        return (group, resource) -> {
            String prefix = group + "," + resource + ",";
            boolean service = false;
            boolean monitor = false;
            for (TagStatus s : pmf.list()) {
                if (!s.tag().startsWith(prefix) || s.state() == TagStatus.State.GAVE_UP) {
                    continue;
                }
                service |= s.tag().endsWith(".svc");
                monitor |= s.tag().endsWith(".mon");
            }
            return !service ? Running.NOTHING : monitor ? Running.SERVICE_AND_MONITOR : Running.SERVICE;
        };
    }
}
