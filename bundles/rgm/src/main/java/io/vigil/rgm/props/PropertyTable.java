package io.vigil.rgm.props;

import io.vigil.api.type.PropertyValues;
import io.vigil.rgm.rtr.Tunable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The validation shared by {@link ResourceSchema} and {@link GroupSchema}: an ordered set of
 * {@link PropertySpec}s, names matched ignoring case. Every check runs before any result is built.
 */
final class PropertyTable {

    /** How many names an "unknown property" message lists. */
    private static final int LISTED = 12;

    /** Rules across properties, run on the full new values once each value is valid on its own. */
    @FunctionalInterface
    interface CrossCheck {
        void check(PropertyValues values) throws PropertyException;
    }

    private final String ownerPhrase;
    private final List<PropertySpec> specs;
    private final Map<String, PropertySpec> index = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Set<String> extensionNames;

    /**
     * @param ownerPhrase completes "X is not ...", e.g. {@code a property of SUNW.hasam}
     * @param specs the properties, names unique ignoring case, in the order results list them
     */
    PropertyTable(String ownerPhrase, List<PropertySpec> specs) {
        this.ownerPhrase = ownerPhrase;
        this.specs = List.copyOf(specs);
        Set<String> ext = new LinkedHashSet<>();
        for (PropertySpec s : this.specs) {
            if (index.put(s.name(), s) != null) {
                throw new IllegalArgumentException("property " + s.name() + " twice");
            }
            if (s.extension()) {
                ext.add(s.name());
            }
        }
        this.extensionNames = Collections.unmodifiableSet(ext);
    }

    List<PropertySpec> specs() {
        return specs;
    }

    Optional<PropertySpec> find(String name) {
        return Optional.ofNullable(index.get(name));
    }

    Set<String> extensionNames() {
        return extensionNames;
    }

    ResolvedProperties create(Map<String, String> given, CrossCheck cross) throws PropertyException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            PropertySpec s = settable(e.getKey(), values.keySet());
            String v = s.canonical(valueOf(e));
            if (s.tunable() == Tunable.NONE && s.defaultValue().isPresent()
                    && !v.equals(canonicalOrNull(s, s.defaultValue().get()))) {
                throw new PropertyException(s.name(), s.name() + " cannot be set (TUNABLE = NONE); it keeps its"
                        + " default " + PropertySpec.show(s.defaultValue().get()));
            }
            values.put(s.name(), v);
        }
        Set<String> set = new LinkedHashSet<>(values.keySet());
        for (PropertySpec s : specs) {
            if (values.containsKey(s.name())) {
                continue;
            }
            String dflt = s.defaultValue().orElseThrow(() -> new PropertyException(s.name(),
                    s.name() + " has no default and must be given at creation"));
            values.put(s.name(), s.canonical(dflt, " (its default)"));
        }
        PropertyValues all = PropertyValues.of(values);
        cross.check(all);
        return new ResolvedProperties(all, set, extensionNames);
    }

    ResolvedProperties update(PropertyValues current, Map<String, String> changes, boolean disabled,
            CrossCheck cross) throws PropertyException {
        Map<String, String> changed = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : changes.entrySet()) {
            PropertySpec s = settable(e.getKey(), seen);
            seen.add(s.name());
            String v = s.canonical(valueOf(e));
            Optional<String> old = current.find(s.name());
            if (old.isPresent() && v.equals(canonicalOrNull(s, old.get()))) {
                continue;
            }
            String refused = refusal(s.tunable(), disabled);
            if (refused != null) {
                throw new PropertyException(s.name(), s.name() + refused + " (TUNABLE = " + s.tunable() + ")");
            }
            changed.put(s.name(), v);
        }
        PropertyValues all = current.with(changed);
        cross.check(all);
        return new ResolvedProperties(all, changed.keySet(), extensionNames);
    }

    /** @return why a change after creation is refused, or null when it is allowed */
    private static String refusal(Tunable tunable, boolean disabled) {
        switch (tunable) {
            case NONE:
                return " can never be changed";
            case AT_CREATION:
                return " can only be set at creation";
            case WHEN_DISABLED:
                return disabled ? null : " can only be changed while the resource is disabled";
            default:
                return null;
        }
    }

    /** Resolves a name the caller gives: known, not given twice, not query-only. */
    private PropertySpec settable(String name, Set<String> already) throws PropertyException {
        Objects.requireNonNull(name, "property name");
        PropertySpec s = index.get(name);
        if (s == null) {
            throw unknown(name);
        }
        if (already.contains(s.name())) {
            throw new PropertyException(s.name(), s.name() + " is given twice (names ignore case; the second is "
                    + name + ")");
        }
        if (s.queryOnly()) {
            throw new PropertyException(s.name(), s.name() + " is query-only; it cannot be set");
        }
        return s;
    }

    private static String valueOf(Map.Entry<String, String> e) {
        return Objects.requireNonNull(e.getValue(), () -> "value of property " + e.getKey());
    }

    private static String canonicalOrNull(PropertySpec s, String value) {
        try {
            return s.canonical(value);
        } catch (PropertyException e) {
            return null;
        }
    }

    private PropertyException unknown(String name) {
        String head = name + " is not " + ownerPhrase;
        String closest = closest(name);
        if (closest != null) {
            return new PropertyException(name, head + "; did you mean " + closest + "?");
        }
        List<String> names = Stream.concat(extensionNames.stream(),
                specs.stream().map(PropertySpec::name).filter(n -> !extensionNames.contains(n)))
                .collect(Collectors.toList());
        String listed = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
        String more = names.size() > LISTED ? ", ... (" + names.size() + " in all)" : "";
        return new PropertyException(name, head + "; its properties are: " + listed + more);
    }

    /** @return the known name nearest to a misspelt one, when it is near enough to be a typo */
    private String closest(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        int allowed = Math.max(2, wanted.length() / 4);
        String best = null;
        int bestDistance = allowed + 1;
        for (PropertySpec s : specs) {
            int d = distance(wanted, s.name().toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = s.name();
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
