package io.vigil.types.xfnts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in font server and check command of {@code src/test/standin}, installed into a test's
 * directory with a configuration directory, and the properties of a resource using them.
 */
final class StandIns {

    /** Where the stand-ins are kept. */
    static final Path SOURCE = Path.of("src/test/standin");

    final Path dir;
    final Path confdir;
    final Path xfs;
    final Path xfsinfo;

    private StandIns(Path dir) {
        this.dir = dir;
        this.confdir = dir.resolve("conf");
        this.xfs = dir.resolve("fake-xfs");
        this.xfsinfo = dir.resolve("fake-xfsinfo");
    }

    /** Copies the stand-ins into {@code dir} (mode 755) and writes {@code conf/fontserver.cfg}. */
    static StandIns install(Path dir) throws IOException {
        StandIns s = new StandIns(dir);
        for (Path p : List.of(s.xfs, s.xfsinfo)) {
            Files.copy(SOURCE.resolve(p.getFileName()), p, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.createDirectories(s.confdir);
        Files.writeString(s.confdir.resolve("fontserver.cfg"), "clone-self = off\ncatalogue = " + dir + "\n");
        return s;
    }

    /** Writes an executable shell script (mode 755) into the directory. */
    Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** @return the properties of a resource served by the stand-ins on a port */
    Map<String, String> properties(int port) {
        Map<String, String> p = new HashMap<>();
        p.put(XfsSettings.CONFDIR_LIST, confdir.toString());
        p.put(XfsSettings.PORT_LIST, port + "/tcp");
        p.put(XfsSettings.XFS_PROGRAM, xfs.toString());
        p.put(XfsSettings.CHECK_COMMAND, xfsinfo + " -server %host:%port");
        p.put(XfsSettings.PROBE_HOST, "127.0.0.1");
        p.put(XfsSettings.CHILD_MON_LEVEL, "-1");
        p.put(XfsSettings.RETRY_COUNT, "2");
        p.put(XfsSettings.RETRY_INTERVAL, "300");
        return p;
    }

    /** Starts the stand-in server on a free port; returns once it accepts connections. */
    Server start() throws IOException {
        Process p = new ProcessBuilder(xfs.toString(), "-config", confdir.resolve("fontserver.cfg").toString(),
                "-port", "0").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("listening on 127.0.0.1:")) {
            p.destroyForcibly();
            throw new IOException("the stand-in font server did not start: " + line);
        }
        return new Server(p, Integer.parseInt(line.substring(line.lastIndexOf(':') + 1)));
    }

    /** A running stand-in font server. */
    static final class Server implements AutoCloseable {
        final Process process;
        final int port;

        Server(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        /** Sends a signal by name, e.g. {@code STOP}, and waits for kill(1) to have sent it. */
        void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException("kill -" + name + " " + process.pid() + " failed");
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
