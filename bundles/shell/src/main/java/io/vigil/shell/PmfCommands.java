package io.vigil.shell;

import io.vigil.api.command.CommandLine;
import io.vigil.api.command.Signals;
import io.vigil.api.pmf.PmfException;
import io.vigil.api.pmf.ProcessMonitor;
import io.vigil.api.pmf.ProcessSpec;
import io.vigil.api.pmf.TagStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The process monitor facility from the shell: {@code pmf list}, {@code pmf show <tag>}, and
 * Sun Cluster's {@code pmfadm} with its options ({@code bin/pmfadm} for scripts).
 */
@Component(service = PmfCommands.class, property = {
    "osgi.command.scope=vigil",
    "osgi.command.function=pmf",
    "osgi.command.function=pmfadm"
})
public final class PmfCommands {

    static final String PMFADM_USAGE = "pmfadm -c <tag> [-a action] [-e ENV=val]... [-n retries] [-t period-minutes] "
            + "[-C level] command [args...] | pmfadm -k <tag> [-w timeout] [signal] | pmfadm -s <tag> [-w timeout] [signal] | "
            + "pmfadm -m <tag> [-n retries] [-t period-minutes] | pmfadm -l <tag> | pmfadm -L | pmfadm -q <tag>";

    private final ProcessMonitor pmf;

    /** @param pmf the process monitor facility */
    @Activate
    public PmfCommands(@Reference ProcessMonitor pmf) {
        this.pmf = pmf;
    }

    /**
     * @param args {@code list} or {@code show <tag>}
     * @return the tags, or one tag's status
     */
    @Descriptor("supervised process trees: pmf list | pmf show <tag>")
    public String pmf(@Descriptor("list | show <tag>") String... args) {
        if (args.length == 1 && args[0].equals("list")) {
            Table t = new Table("TAG", "STATE", "PIDS", "RESTARTS", "STARTED");
            for (TagStatus s : pmf.list()) {
                t.row(s.tag(), s.state(), pids(s), s.restartsInWindow() + "/" + retries(s.spec()), s.started());
            }
            return t.toString();
        }
        if (args.length == 2 && args[0].equals("show")) {
            return show(pmf.status(args[1]).orElseThrow(() -> new IllegalArgumentException(
                    "tag " + args[1] + " is not supervised")));
        }
        throw new UsageException("expected pmf list or pmf show <tag>");
    }

    /**
     * @param args the pmfadm options and operands
     * @return the output
     * @throws PmfException when the facility refuses
     */
    @Descriptor("Sun Cluster's pmfadm: " + PMFADM_USAGE)
    public String pmfadm(@Descriptor("options and operands") String... args) throws PmfException {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        if (a.isEmpty()) {
            throw new UsageException("pmfadm needs an option; usage: " + PMFADM_USAGE);
        }
        String op = a.remove(0);
        switch (op) {
            case "-c":
                return create(a);
            case "-k":
            case "-s": {
                String tag = operand(a, op);
                // -s: stop supervising, signal, wait up to -w seconds (default 30), then SIGKILL what is left.
                // -k: signal and keep supervising; with -w, wait up to that long for the processes to die.
                Duration wait = Duration.ofSeconds(integer(option(a, "-w").orElse(op.equals("-s") ? "30" : "0")));
                int signal = a.isEmpty() ? 15 : signal(a.remove(0));
                requireEmpty(a);
                if (op.equals("-s")) {
                    if (!pmf.stop(tag, signal, wait)) {
                        throw new IllegalArgumentException("tag " + tag + " is not supervised");
                    }
                    return "";
                }
                List<Long> before = pmf.status(tag).map(TagStatus::pids).orElse(List.of());
                pmf.signal(tag, signal);
                long deadline = System.nanoTime() + wait.toNanos();
                while (System.nanoTime() < deadline && pmf.status(tag).map(s -> s.pids().stream().anyMatch(before::contains))
                        .orElse(false)) {
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
                }
                return "";
            }
            case "-m": {
                String tag = operand(a, op);
                TagStatus s = pmf.status(tag).orElseThrow(() -> new IllegalArgumentException("tag " + tag + " is not supervised"));
                int retries = option(a, "-n").map(PmfCommands::integer).orElse(s.spec().retries());
                Duration period = option(a, "-t").map(PmfCommands::minutes).orElse(s.spec().period());
                requireEmpty(a);
                pmf.modify(tag, retries, period);
                return "";
            }
            case "-l": {
                String tag = operand(a, op);
                requireEmpty(a);
                return show(pmf.status(tag).orElseThrow(() -> new IllegalArgumentException("tag " + tag + " is not supervised")));
            }
            case "-L":
                requireEmpty(a);
                return pmf.list().stream().filter(s -> s.state() != TagStatus.State.GAVE_UP)
                        .map(s -> s.tag() + "\n").collect(Collectors.joining());
            case "-q": {
                String tag = operand(a, op);
                requireEmpty(a);
                // like pmfadm -q: the status says it, silently; a given-up tag is no longer registered
                if (pmf.status(tag).filter(s -> s.state() != TagStatus.State.GAVE_UP).isEmpty()) {
                    throw new CommandStatusException(1, "");
                }
                return "";
            }
            default:
                throw new UsageException("unknown pmfadm option " + op + "; usage: " + PMFADM_USAGE);
        }
    }

    private String create(List<String> a) throws PmfException {
        String tag = operand(a, "-c");
        Optional<List<String>> action = Optional.empty();
        Map<String, String> env = new LinkedHashMap<>();
        int retries = -1;
        Duration period = Duration.ZERO;
        int level = -1;
        while (!a.isEmpty() && a.get(0).startsWith("-")) {
            String o = a.remove(0);
            if (a.isEmpty()) {
                throw new UsageException("option " + o + " needs a value; usage: " + PMFADM_USAGE);
            }
            String v = a.remove(0);
            switch (o) {
                case "-a":
                    action = Optional.of(words("-a", v));
                    break;
                case "-e": {
                    int eq = v.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("-e " + v + " is not ENV=value");
                    }
                    env.put(v.substring(0, eq), v.substring(eq + 1));
                    break;
                }
                case "-n":
                    retries = integer(v);
                    break;
                case "-t":
                    period = minutes(v);
                    break;
                case "-C":
                    level = integer(v);
                    break;
                default:
                    throw new UsageException("unknown pmfadm -c option " + o + "; usage: " + PMFADM_USAGE);
            }
        }
        if (a.isEmpty()) {
            throw new UsageException("pmfadm -c needs a command; usage: " + PMFADM_USAGE);
        }
        if (!a.get(0).startsWith("/")) {
            throw new IllegalArgumentException("command " + a.get(0) + " is not an absolute path; expected /path/to/program");
        }
        env.putIfAbsent("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        TagStatus s = pmf.start(new ProcessSpec(tag, a, env, Path.of("/"), retries, period, action, level));
        return "Tag " + s.tag() + " started: pids " + pids(s) + "\n";
    }

    /**
     * Splits the action of {@code -a} (one argument: the command line of the action program) into
     * words as {@link CommandLine#split} does: the action program is executed directly, not through
     * a shell, so unquoted shell syntax is refused (write {@code /bin/sh -c '...'} for that).
     *
     * @throws UsageException naming the option and the problem, for an unterminated quote, unquoted
     *     shell syntax or an empty action
     */
    static List<String> words(String option, String line) {
        if (line.isBlank()) {
            throw new UsageException(option + " needs an action program; expected e.g. -a \"/opt/bin/action --quiet\"");
        }
        try {
            return CommandLine.split(line);
        } catch (CommandLine.InvalidCommandLine e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }

    private static String operand(List<String> a, String op) {
        if (a.isEmpty() || a.get(0).startsWith("-")) {
            throw new UsageException("pmfadm " + op + " needs a tag; usage: " + PMFADM_USAGE);
        }
        return a.remove(0);
    }

    private static Optional<String> option(List<String> a, String name) {
        int i = a.indexOf(name);
        if (i < 0) {
            return Optional.empty();
        }
        if (i + 1 >= a.size()) {
            throw new UsageException("option " + name + " needs a value; usage: " + PMFADM_USAGE);
        }
        String v = a.get(i + 1);
        a.remove(i + 1);
        a.remove(i);
        return Optional.of(v);
    }

    private static void requireEmpty(List<String> a) {
        if (!a.isEmpty()) {
            throw new UsageException("unexpected arguments " + a + "; usage: " + PMFADM_USAGE);
        }
    }

    private static int integer(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(v + " is not an integer");
        }
    }

    /** pmfadm's -t is in minutes; -1 or 0 means no window. */
    private static Duration minutes(String v) {
        int m = integer(v);
        return m <= 0 ? Duration.ZERO : Duration.ofMinutes(m);
    }

    static int signal(String s) {
        java.util.OptionalInt byName = Signals.number(s);
        if (byName.isPresent()) {
            return byName.getAsInt();
        }
        try {
            int n = Integer.parseInt(s.strip());
            if (n > 0 && n <= Signals.MAX) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw new UsageException("signal " + s + " is not known; expected a number 1-" + Signals.MAX
                + " or a name such as TERM or KILL");
    }

    private static String pids(TagStatus s) {
        return s.pids().stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    private static String retries(ProcessSpec spec) {
        return spec.retries() < 0 ? "unlimited" : String.valueOf(spec.retries());
    }

    private static String show(TagStatus s) {
        ProcessSpec spec = s.spec();
        return "STATUS " + s.tag() + "\n"
                + "  state:             " + s.state() + "\n"
                + "  command:           " + String.join(" ", spec.command()) + "\n"
                + "  retries:           " + s.restartsInWindow() + " of " + retries(spec) + " within "
                + (spec.period().isZero() ? "no window" : spec.period().toMinutes() + " minutes") + "\n"
                + "  action:            " + spec.action().map(l -> String.join(" ", l)).orElse("none") + "\n"
                + "  monitor children:  " + (spec.childMonitorLevel() < 0 ? "all" : "level " + spec.childMonitorLevel()) + "\n"
                + "  started:           " + s.started() + "\n"
                + "  pids:              " + pids(s) + "\n";
    }
}
