package io.vigil.healthcheck.cli;

import io.vigil.healthcheck.core.Answer;
import io.vigil.healthcheck.core.DailyLog;
import io.vigil.healthcheck.core.HealthLog;
import io.vigil.healthcheck.core.IniFile;
import io.vigil.healthcheck.core.Settings;
import io.vigil.healthcheck.core.Tee;
import io.vigil.healthcheck.server.HealthCheck;
import io.vigil.healthcheck.status.Sources;
import io.vigil.healthcheck.status.StatusSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/gghealthcheck}: GGHealthCheck outside the agent, as {@code java -cp} the bundle's jar.
 * {@code -s} runs a responder until the process is stopped (status from a command or
 * {@code *agent}; groups and resources need the agent); {@code -c} runs the client and exits with its
 * status. The ini file's keys come first, the flags override them.
 */
public final class GGHealthCheck {

    /** Exit status for bad flags or settings. */
    public static final int USAGE = 3;

    /** The responder's name standalone, and the ini file's base name. */
    public static final String NAME = "GGHealthCheck";

    private GGHealthCheck() {
    }

    /** @param args GGHealthCheck's flags */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Path.of("").toAbsolutePath(),
                Optional.ofNullable(System.getenv("VIGIL_HOME")).map(Path::of)));
    }

    /**
     * @param args the flags
     * @param out where the client prints answers
     * @param err where problems and status changes go
     * @param workDir where {@code GGHealthCheck.ini} is looked for first
     * @param vigilHome where {@code etc/GGHealthCheck.ini} is looked for next
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err, Path workDir, Optional<Path> vigilHome) {
        Settings settings;
        try {
            Flags flags = Flags.parse(args);
            if (flags.help()) {
                out.print(Flags.USAGE);
                return 0;
            }
            settings = settings(flags, workDir, vigilHome);
        } catch (IllegalArgumentException | IOException e) {
            err.println("gghealthcheck: " + e.getMessage());
            err.print(Flags.USAGE);
            return USAGE;
        }
        try {
            return settings.mode() == 'C'
                    ? new Client(settings, out, Clock.systemUTC(), d -> Thread.sleep(Math.max(0, d.toMillis()))).run()
                    : serve(settings, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Client.NO_ANSWER;
        }
    }

    /**
     * The ini file (if any) overridden by the flags.
     *
     * @param flags the flags
     * @param workDir first place to look for the ini file
     * @param vigilHome second place ({@code etc/})
     * @return the settings
     * @throws IOException if the ini file cannot be read
     */
    static Settings settings(Flags flags, Path workDir, Optional<Path> vigilHome) throws IOException {
        Optional<Path> ini = flags.iniFile();
        if (ini.isPresent() && !Files.isRegularFile(ini.get())) {
            throw new IllegalArgumentException("-f " + ini.get() + ": no such file; expected a GGHealthCheck.ini");
        }
        if (ini.isEmpty()) {
            ini = Optional.of(workDir.resolve(NAME + ".ini")).filter(Files::isRegularFile)
                    .or(() -> vigilHome.map(h -> h.resolve("etc").resolve(NAME + ".ini")).filter(Files::isRegularFile));
        }
        Map<String, String> values = new LinkedHashMap<>(ini.isPresent() ? IniFile.read(ini.get()) : Map.of());
        values.putAll(flags.settings());
        return Settings.of(NAME, values);
    }

    private static int serve(Settings settings, PrintStream err) throws InterruptedException {
        StatusSource source;
        DailyLog daily = null;
        try {
            source = Sources.create(settings, "gghealthcheck", false);
            if (settings.logd().isPresent()) {
                daily = new DailyLog(settings.logd().get(), settings.name(), Clock.systemDefaultZone(),
                        m -> err.println("gghealthcheck: " + m));
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("gghealthcheck: " + e.getMessage());
            return USAGE;
        }
        HealthLog log = daily == null ? new ConsoleLog(err) : new Tee(new ConsoleLog(err), daily);
        HealthCheck check;
        try {
            check = new HealthCheck(settings, source, log);
        } catch (IOException e) {
            err.println("gghealthcheck: " + e.getMessage());
            return Client.NO_ANSWER;
        }
        err.println("gghealthcheck: listening on " + check.address() + " (" + settings.protocol() + "), status from "
                + source.describe());
        CountDownLatch stopped = new CountDownLatch(1);
        DailyLog toClose = daily;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            check.close();
            if (toClose != null) {
                toClose.close();
            }
            stopped.countDown();
        }, "gghealthcheck-stop"));
        stopped.await();
        return 0;
    }

    /** Status changes and problems to the console. */
    private record ConsoleLog(PrintStream err) implements HealthLog {

        @Override
        public void changed(String responder, Answer before, Answer after) {
            err.println("gghealthcheck: " + after);
        }

        @Override
        public boolean logsAnswers() {
            return false;
        }

        @Override
        public void answered(String responder, SocketAddress peer, String received, Answer answer) {
            // answers go to the daily file only
        }

        @Override
        public void problem(String responder, String message) {
            err.println("gghealthcheck: " + message);
        }
    }
}
