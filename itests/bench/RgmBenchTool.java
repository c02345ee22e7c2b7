import io.vigil.shell.admin.AdminClient;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Helper of rgm-bench.sh (not part of the build; compiled by the script into its work directory).
 *
 * <pre>
 * RgmBenchTool spawn WARMUP N OUT.csv PROGRAM   spawn costs through ProcessBuilder, in this JVM
 * RgmBenchTool batch SOCKET                      command lines from stdin, one admin connection each
 * </pre>
 *
 * <p><b>spawn</b> times N spawns of PROGRAM (after WARMUP unrecorded ones) the way
 * io.vigil.rgm.exec.ProcessRunner starts a method program: ProcessBuilder with a cleared
 * environment, stdin from /dev/null, stdout and stderr merged, read to end of file, then
 * waitFor. Three variants, interleaved call by call so that they see the same machine:
 * {@code direct} (PROGRAM itself: the plain spawn cost), {@code setsid} ({@code /usr/bin/setsid
 * --wait PROGRAM}, the extra exec ProcessRunner adds) and {@code mkfifo} (one
 * {@code mkfifo -m 600 -- <tmp>/output} in a fresh 0700 temporary directory, then both removed:
 * the extra process ProcessRunner spawns before each method). Appends "variant,micros" lines;
 * then, to measure the CPU the spawned processes use, N more of each variant in a block of its
 * own, appending "cpu-variant,micros per spawn" (from this JVM's cutime + cstime).
 *
 * <p><b>batch</b> sends each line of stdin (words separated by blanks, no quoting) as one command
 * through the same client code as {@code bin/vigil} ({@link AdminClient#run}), so a setup of
 * hundreds of commands costs one JVM start instead of one per command. Stops at the first
 * command that fails, printing it and its output, with its exit status.
 */
public final class RgmBenchTool {

    private static final File DEV_NULL = new File("/dev/null");
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LANG", "C");

    public static void main(String[] args) throws Exception {
        if (args.length >= 5 && args[0].equals("spawn")) {
            spawn(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), args[4]);
        } else if (args.length == 2 && args[0].equals("batch")) {
            System.exit(batch(Path.of(args[1])));
        } else {
            System.err.println("usage: RgmBenchTool spawn WARMUP N OUT.csv PROGRAM | batch SOCKET");
            System.exit(2);
        }
    }

    private static void spawn(int warmup, int n, Path out, String program) throws Exception {
        Path mkfifo = Files.isExecutable(Path.of("/usr/bin/mkfifo")) ? Path.of("/usr/bin/mkfifo") : Path.of("/bin/mkfifo");
        Path tmp = Files.createTempDirectory("rgm-bench-");
        List<String> direct = List.of(program);
        List<String> setsid = List.of("/usr/bin/setsid", "--wait", program);
        StringBuilder csv = new StringBuilder();
        try {
            for (int i = 0; i < warmup + n; i++) {
                long d = run(direct);
                long s = run(setsid);
                long f = fifo(mkfifo, tmp);
                if (i >= warmup) {
                    csv.append("direct,").append(d).append('\n');
                    csv.append("setsid,").append(s).append('\n');
                    csv.append("mkfifo,").append(f).append('\n');
                }
            }
            // CPU of the spawned processes (reaped children of this JVM), per variant in a block of its own
            for (String variant : List.of("direct", "setsid", "mkfifo")) {
                long before = childrenCpuMicros();
                for (int i = 0; i < n; i++) {
                    switch (variant) {
                        case "direct": run(direct); break;
                        case "setsid": run(setsid); break;
                        default: fifo(mkfifo, tmp); break;
                    }
                }
                csv.append("cpu-").append(variant).append(',').append((childrenCpuMicros() - before) / n).append('\n');
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        Files.writeString(out, csv.toString(), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** cutime + cstime of this JVM (its reaped children), in microseconds; clock-tick resolution. */
    private static long childrenCpuMicros() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state): cutime is field 16, cstime 17
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 1_000_000 / TICKS;
    }

    /** USER_HZ: 100 on Linux whatever the kernel's HZ (getconf CLK_TCK). */
    private static final long TICKS = Long.getLong("clk.tck", 100);

    /** One spawn as ProcessRunner does it (minus setsid and the fifo): micros to exit and end of output. */
    private static long run(List<String> argv) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(argv).directory(new File("/"))
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL)).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(ENV);
        Process p = pb.start();
        try (InputStream in = p.getInputStream()) {
            in.readAllBytes();
        }
        int code = p.waitFor();
        long micros = (System.nanoTime() - t0) / 1000;
        if (code != 0) {
            throw new IOException(argv + " exited with " + code);
        }
        return micros;
    }

    /** What ProcessRunner does before each method: a 0700 temporary directory and mkfifo in it. */
    private static long fifo(Path mkfifo, Path parent) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory(parent, "vigil-method-",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Path fifo = dir.resolve("output");
        ProcessBuilder pb = new ProcessBuilder(mkfifo.toString(), "-m", "600", "--", fifo.toString())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL)).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(ENV);
        Process p = pb.start();
        try (InputStream in = p.getInputStream()) {
            in.readAllBytes();
        }
        int code = p.waitFor();
        Files.deleteIfExists(fifo);
        Files.deleteIfExists(dir);
        long micros = (System.nanoTime() - t0) / 1000;
        if (code != 0) {
            throw new IOException("mkfifo exited with " + code);
        }
        return micros;
    }

    private static int batch(Path socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int count = 0;
        for (String line; (line = in.readLine()) != null; ) {
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
            int status = AdminClient.run(socket, Arrays.asList(line.split("\\s+")), out, out);
            if (status != 0) {
                System.err.println("batch: command " + (count + 1) + " failed with status " + status + ": " + line);
                System.err.print(buffer.toString(StandardCharsets.UTF_8));
                return status;
            }
            count++;
        }
        System.out.println("batch: " + count + " commands");
        return 0;
    }
}
