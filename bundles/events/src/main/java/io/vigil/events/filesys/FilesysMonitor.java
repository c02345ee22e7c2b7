package io.vigil.events.filesys;

import io.vigil.api.alarm.AlarmService;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.ResourceInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@code filesys} monitor: runs a {@link FilesysCheck} every interval and raises its
 * alarms. Expected mounts are the configured ones plus the mount points every resource names in
 * its {@value #RESOURCE_MOUNTS} property (as HAStoragePlus does).
 */
@Component(immediate = true, configurationPid = FilesysMonitor.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FilesysMonitor.Config.class)
public final class FilesysMonitor {

    /** Configuration PID. */
    public static final String PID = "io.vigil.events.filesys";
    /** Resource property listing the mount points a resource needs, comma-separated. */
    public static final String RESOURCE_MOUNTS = "FilesystemMountPoints";

    private static final Logger LOG = LoggerFactory.getLogger(FilesysMonitor.class);

    @ObjectClassDefinition(name = "Vigil filesys monitor",
            description = "Raises filesys alarms: diskfull when a watched mount point's usage rises above the warning "
                    + "or error threshold, badmount when an expected mount point is missing or lacks an expected mount "
                    + "option (LifeKeeper's FILESYSFULLWARN and FILESYSFULLERROR).")
    public @interface Config {
        @AttributeDefinition(name = "Interval", description = "Seconds between two checks.", min = "1")
        int interval() default 60;

        @AttributeDefinition(name = "Warning threshold", description = "Usage in percent that raises diskfull "
                + "with severity WARNING.", min = "1", max = "100")
        int warn_percent() default 90;

        @AttributeDefinition(name = "Error threshold", description = "Usage in percent that raises diskfull "
                + "with severity ERROR.", min = "1", max = "100")
        int error_percent() default 95;

        @AttributeDefinition(name = "Watched mount points", description = "Mount points whose usage is watched.")
        String[] mount_points() default {"/"};

        @AttributeDefinition(name = "Expected mounts", description = "Mount points that must be mounted, each /path or "
                + "/path:option,option (options it must be mounted with).")
        String[] expected_mounts() default {};

        @AttributeDefinition(name = "Mount table", description = "The mount table checked for badmount.")
        String mount_table() default "/proc/self/mounts";
    }

    private final AlarmService alarms;
    private final ScheduledExecutorService scheduler;
    private final FilesysCheck check;
    private final List<String> watched;
    private final List<FilesysCheck.Expected> configured;
    private final double warn;
    private final double error;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ResourceGroupManager rgm;

    /**
     * @param alarms where the alarms go
     * @param config the configuration
     */
    @Activate
    public FilesysMonitor(@Reference AlarmService alarms, Config config) {
        if (config.warn_percent() > config.error_percent()) {
            throw new IllegalArgumentException("filesys warn_percent " + config.warn_percent()
                    + " is above error_percent " + config.error_percent() + "; expected warn <= error");
        }
        this.alarms = alarms;
        this.check = new FilesysCheck(FilesystemView.system(Path.of(config.mount_table())));
        this.watched = List.of(config.mount_points());
        this.configured = new ArrayList<>();
        for (String spec : config.expected_mounts()) {
            configured.add(FilesysCheck.Expected.parse(spec));
        }
        this.warn = config.warn_percent();
        this.error = config.error_percent();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-events-filesys");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::runOnce, 0, config.interval(), TimeUnit.SECONDS);
    }

    private void runOnce() {
        try {
            List<FilesysCheck.Expected> expected = new ArrayList<>(configured);
            ResourceGroupManager m = rgm;
            if (m != null) {
                Set<String> seen = new LinkedHashSet<>();
                for (ResourceInfo r : m.resources()) {
                    r.properties().asMap().forEach((k, v) -> {
                        if (k.equalsIgnoreCase(RESOURCE_MOUNTS) && v != null) {
                            for (String mp : v.split(",")) {
                                if (mp.trim().startsWith("/") && seen.add(mp.trim())) {
                                    expected.add(new FilesysCheck.Expected(mp.trim(), Set.of()));
                                }
                            }
                        }
                    });
                }
            }
            check.check(watched, warn, error, expected).forEach(alarms::send);
        } catch (RuntimeException e) {
            LOG.error("filesys check failed: {}", e.toString(), e);
        }
    }

    /** Stops the checks. */
    @Deactivate
    public void deactivate() {
        scheduler.shutdownNow();
    }
}
