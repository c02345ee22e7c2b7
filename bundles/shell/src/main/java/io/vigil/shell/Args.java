package io.vigil.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of a Sun Cluster style subcommand: flags ({@code -F}), options with a value
 * ({@code -g rg}), repeatable property options ({@code -p name=value}, given as often as needed),
 * and operands. Gogo's own option annotations take each option once, which
 * {@code -p a=1 -p b=2} needs more than; hence this small, strict parser.
 */
final class Args {

    private final String usage;
    private final Set<String> flags;
    private final Set<String> valued;
    private final Set<String> properties;
    private final Set<String> given = new java.util.HashSet<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> props = new LinkedHashMap<>();
    private final List<String> operands = new ArrayList<>();

    private Args(String usage, Set<String> flags, Set<String> valued, Set<String> properties) {
        this.usage = usage;
        this.flags = flags;
        this.valued = valued;
        this.properties = properties;
    }

    /**
     * @param usage the subcommand's synopsis, for error messages
     * @param flags options without a value, e.g. {@code -F}
     * @param valued options with one value, e.g. {@code -g}
     * @param properties repeatable {@code name=value} options, e.g. {@code -p}
     * @param args the arguments after the subcommand
     * @return the parsed arguments
     * @throws UsageException naming what was wrong and the synopsis
     */
    static Args parse(String usage, Set<String> flags, Set<String> valued, Set<String> properties, List<String> args) {
        Args a = new Args(usage, flags, valued, properties);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("-") && arg.length() > 1) {
                if (flags.contains(arg)) {
                    a.given.add(arg);
                } else if (valued.contains(arg) || properties.contains(arg)) {
                    if (i + 1 >= args.size()) {
                        throw a.error("option " + arg + " needs a value");
                    }
                    String value = args.get(++i);
                    if (properties.contains(arg)) {
                        int eq = value.indexOf('=');
                        if (eq <= 0) {
                            throw a.error("option " + arg + " " + value + " is not name=value");
                        }
                        Map<String, String> m = a.props.computeIfAbsent(arg, k -> new LinkedHashMap<>());
                        String name = value.substring(0, eq);
                        if (m.keySet().stream().anyMatch(n -> n.equalsIgnoreCase(name))) {
                            throw a.error("property " + name + " is given twice");
                        }
                        m.put(name, value.substring(eq + 1));
                    } else {
                        if (a.values.containsKey(arg)) {
                            throw a.error("option " + arg + " is given twice");
                        }
                        a.values.put(arg, value);
                    }
                } else {
                    throw a.error("unknown option " + arg);
                }
            } else {
                a.operands.add(arg);
            }
        }
        return a;
    }

    private UsageException error(String what) {
        return new UsageException(what + "; usage: " + usage);
    }

    boolean flag(String f) {
        return given.contains(f);
    }

    Optional<String> value(String option) {
        return Optional.ofNullable(values.get(option));
    }

    String required(String option, String what) {
        return value(option).orElseThrow(() -> error(what + " (" + option + ") is required"));
    }

    /** @return the properties of the given options merged in order; a name given twice across them is an error */
    Map<String, String> properties(String... options) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String o : options) {
            for (Map.Entry<String, String> e : props.getOrDefault(o, Map.of()).entrySet()) {
                if (out.keySet().stream().anyMatch(n -> n.equalsIgnoreCase(e.getKey()))) {
                    throw error("property " + e.getKey() + " is given twice");
                }
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    List<String> operands() {
        return operands;
    }

    /** @return the single operand */
    String operand(String what) {
        if (operands.size() != 1) {
            throw error(operands.isEmpty() ? what + " is required" : "expected one " + what + ", got " + operands);
        }
        return operands.get(0);
    }

    /** @return the operand, if one was given */
    Optional<String> optionalOperand(String what) {
        if (operands.size() > 1) {
            throw error("expected at most one " + what + ", got " + operands);
        }
        return operands.stream().findFirst();
    }

    boolean json() {
        String o = value("-o").orElse("table");
        if (!o.equals("json") && !o.equals("table")) {
            throw error("output format " + o + " is not known; expected -o json or -o table");
        }
        return o.equals("json");
    }
}
