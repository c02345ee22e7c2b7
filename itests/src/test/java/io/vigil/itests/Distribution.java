package io.vigil.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A private copy of the built distribution (runtime/target/vigil), driven through bin/vigil as an
 * operator would.
 */
final class Distribution implements AutoCloseable {

    /** Output and exit status of one bin/vigil call. */
    record Result(int status, String output) {
    }

    final Path home;

    private Distribution(Path home) {
        this.home = home;
    }

    /** Copies the built distribution into a fresh directory under target/e2e. */
    static Distribution fresh(String name) throws IOException {
        Path source = Path.of(System.getProperty("vigil.itest.dist", "../runtime/target/vigil")).toAbsolutePath().normalize();
        if (!Files.isExecutable(source.resolve("bin/vigil"))) {
            throw new IllegalStateException("no built distribution at " + source + "; run the build from the root");
        }
        Path work = Path.of(System.getProperty("vigil.itest.work", "target/e2e")).toAbsolutePath();
        Path home = freshDirectory(work, name);
        copyTree(source, home);
        return new Distribution(home);
    }

    /**
     * A new directory {@code <work>/<name>-<n>} with the smallest free n. The name stays short on
     * purpose: the process monitor's Unix sockets live under {@code data/pmf} and a socket path has
     * at most 107 bytes, so a checkout in a deep folder (CI clones into one) must still fit.
     */
    private static Path freshDirectory(Path work, String name) throws IOException {
        Files.createDirectories(work);
        for (int n = 1; ; n++) {
            Path candidate = work.resolve(name + "-" + n);
            try {
                return Files.createDirectory(candidate);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken by an earlier test or run: try the next number
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path rel = from.relativize(dir);
                if (rel.startsWith("data") && rel.getNameCount() > 1) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(rel));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Runs bin/vigil with arguments; fails the test if it does not end within two minutes. */
    Result vigil(String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/vigil").toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("bin/vigil " + String.join(" ", args) + " did not end within 120 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    Path data() {
        return home.resolve("data");
    }

    /** Drops a file into deploy/ the way an operator should: copy under a hidden name, then rename. */
    Path drop(Path file, String name) throws IOException {
        Path temp = deploy().resolve("." + name + ".part");
        Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(temp, deploy().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    String log() throws IOException {
        Path log = data().resolve("log/vigil.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The pid in data/vigil.pid, if any. */
    Optional<Long> pid() throws IOException {
        Path pidFile = data().resolve("vigil.pid");
        return Files.exists(pidFile) ? Optional.of(Long.parseLong(Files.readString(pidFile).trim())) : Optional.empty();
    }

    /**
     * Whether a process runs: it exists and is not a zombie (an exited process that its parent,
     * here often PID 1 after the agent was detached, has not reaped yet).
     */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** JVMs still running from this distribution (matched by -Dvigil.home on their command line). */
    List<ProcessHandle> jvms() {
        String marker = "-Dvigil.home=" + home;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .filter(p -> running(p.pid()))
                .toList();
    }

    @Override
    public void close() {
        vigil("stop");
        for (ProcessHandle p : jvms()) {
            p.destroyForcibly();
        }
    }
}
