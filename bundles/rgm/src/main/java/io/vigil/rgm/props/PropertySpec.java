package io.vigil.rgm.props;

import io.vigil.rgm.rtr.PropertyDecl;
import io.vigil.rgm.rtr.PropertyType;
import io.vigil.rgm.rtr.Tunable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The schema of one property of a resource or resource group: its type, default, limits and
 * when it may be set. Immutable; made by {@link ResourceSchema} and {@link GroupSchema}.
 */
public final class PropertySpec {

    /** {@link Limit#origin()} of a limit that comes with the property rather than from an RTR file. */
    public static final String BUILT_IN = "built in";

    /**
     * One bound ({@code MIN}, {@code MAX}, {@code MINLENGTH}, ...) and where it comes from.
     *
     * @param value the bound, inclusive
     * @param origin {@code declared in SUNW.hasam} or {@value #BUILT_IN}, for messages
     */
    public record Limit(int value, String origin) {
    }

    /** A bound an RTR entry can put on a value; all are inclusive. */
    public enum Bound {
        /** Least {@code INT} value. */
        MIN(PropertyDecl::min),
        /** Greatest {@code INT} value. */
        MAX(PropertyDecl::max),
        /** Least length of a {@code STRING}, or of each element of a {@code STRINGARRAY}. */
        MINLENGTH(PropertyDecl::minLength),
        /** Greatest length of a {@code STRING}, or of each element of a {@code STRINGARRAY}. */
        MAXLENGTH(PropertyDecl::maxLength),
        /** Least number of elements of a {@code STRINGARRAY}. */
        ARRAY_MINSIZE(PropertyDecl::arrayMinSize),
        /** Greatest number of elements of a {@code STRINGARRAY}. */
        ARRAY_MAXSIZE(PropertyDecl::arrayMaxSize);

        private final Function<PropertyDecl, OptionalInt> inEntry;

        Bound(Function<PropertyDecl, OptionalInt> inEntry) {
            this.inEntry = inEntry;
        }
    }

    /** An extra check of a value, given its elements (one element for a scalar). */
    @FunctionalInterface
    interface ValueRule {
        /** @return what is wrong with the value, as the end of a sentence, or null when it is fine */
        String problem(List<String> elements);
    }

    private final String name;
    private final PropertyType type;
    private final boolean extension;
    private final Tunable tunable;
    private final boolean queryOnly;
    private final String defaultValue;
    private final List<String> enumValues;
    private final Map<Bound, Limit> limits;
    private final String description;
    private final boolean perNode;
    private final ValueRule rule;

    private PropertySpec(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.extension = b.extension;
        this.tunable = b.tunable;
        this.queryOnly = b.queryOnly;
        this.defaultValue = b.defaultValue;
        this.enumValues = List.copyOf(b.enumValues);
        this.limits = b.limits.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(b.limits));
        this.description = b.description;
        this.perNode = b.perNode;
        this.rule = b.rule;
    }

    /** @return the canonical spelling of the name, e.g. {@code Failover_mode} */
    public String name() {
        return name;
    }

    /** @return the type */
    public PropertyType type() {
        return type;
    }

    /**
     * @return true for an extension property (passed to Validate as {@code -x}), false for a
     *         standard one ({@code -r})
     */
    public boolean extension() {
        return extension;
    }

    /** @return when the property may be set; meaningless for a {@linkplain #queryOnly() query-only} property */
    public Tunable tunable() {
        return tunable;
    }

    /** @return true when only the RGM sets the value (e.g. {@code Type_version}); it can never be given */
    public boolean queryOnly() {
        return queryOnly;
    }

    /** @return the default as declared (before canonicalization); empty when the property must be given */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** @return true when a value must be given at creation: no default and not query-only */
    public boolean required() {
        return defaultValue == null && !queryOnly;
    }

    /** @return the allowed values of an {@code ENUM}, in their canonical spelling; empty otherwise */
    public List<String> enumValues() {
        return enumValues;
    }

    /**
     * @param bound which bound
     * @return its value and origin, or empty when the property has no such bound
     */
    public Optional<Limit> limit(Bound bound) {
        return Optional.ofNullable(limits.get(bound));
    }

    /** @return the {@code DESCRIPTION} of the RTR entry */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /**
     * @return the RTR entry's {@code PER_NODE}; values are not kept per node yet, so the one value
     *         applies on every node
     */
    public boolean perNode() {
        return perNode;
    }

    /**
     * Checks a value against the type and limits and gives its canonical text: a decimal
     * {@code INT}, {@code TRUE}/{@code FALSE}, the declared spelling of an {@code ENUM} value
     * (matched ignoring case), the trimmed elements of a {@code STRINGARRAY} joined by commas, a
     * {@code STRING} as given. Does not look at tunability.
     *
     * @param value the value as an operator writes it
     * @return the canonical value
     * @throws PropertyException naming the property, the value and what was expected
     */
    public String canonical(String value) throws PropertyException {
        return canonical(value, "");
    }

    /**
     * @param note said after the value in messages, e.g. {@code " (its default)"}
     */
    String canonical(String value, String note) throws PropertyException {
        Objects.requireNonNull(value, () -> "value of " + name);
        String what = name + " = " + show(value) + note;
        String trimmed = value.trim();
        switch (type) {
            case INT:
                int i;
                try {
                    i = Integer.parseInt(trimmed);
                } catch (NumberFormatException e) {
                    throw fail(what + " is not an integer");
                }
                checkRange(i, Bound.MIN, Bound.MAX, what + " is");
                return checkRule(what, Integer.toString(i), List.of(trimmed));
            case BOOLEAN:
                String upper = trimmed.toUpperCase(Locale.ROOT);
                if (!upper.equals("TRUE") && !upper.equals("FALSE")) {
                    throw fail(what + " is not TRUE or FALSE");
                }
                return checkRule(what, upper, List.of(upper));
            case ENUM:
                for (String e : enumValues) {
                    if (e.equalsIgnoreCase(trimmed)) {
                        return checkRule(what, e, List.of(e));
                    }
                }
                throw fail(what + " is not one of " + String.join(", ", enumValues));
            case STRING:
                checkLength(what + " is", value);
                return checkRule(what, value, List.of(value));
            case STRINGARRAY:
                List<String> elements = elements(value);
                for (String e : elements) {
                    if (e.isEmpty()) {
                        throw fail(what + " has an empty element (elements are separated by commas)");
                    }
                }
                checkRange(elements.size(), Bound.ARRAY_MINSIZE, Bound.ARRAY_MAXSIZE,
                        what + " has " + elements.size() + (elements.size() == 1 ? " element," : " elements,"));
                for (String e : elements) {
                    checkLength(what + ": element " + show(e) + " is", e);
                }
                return checkRule(what, String.join(",", elements), elements);
            default:
                throw new IllegalStateException(type.toString());
        }
    }

    /**
     * Splits a {@code STRINGARRAY} value as {@link io.vigil.api.type.PropertyValues#getStringArray}
     * does: an empty value has no elements, others are split at commas and trimmed.
     */
    static List<String> elements(String value) {
        if (value.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String e : value.split(",", -1)) {
            out.add(e.trim());
        }
        return out;
    }

    /** @return the value as messages show it: quoted when empty or holding blanks */
    static String show(String value) {
        return value.isEmpty() || value.chars().anyMatch(Character::isWhitespace) ? "\"" + value + "\"" : value;
    }

    private void checkLength(String subject, String s) throws PropertyException {
        int n = s.length();
        checkRange(n, Bound.MINLENGTH, Bound.MAXLENGTH,
                subject + " " + n + (n == 1 ? " character long," : " characters long,"));
    }

    private void checkRange(int actual, Bound lowest, Bound highest, String subject) throws PropertyException {
        Limit low = limits.get(lowest);
        if (low != null && actual < low.value()) {
            throw fail(subject + " below " + lowest + " " + low.value() + " (" + low.origin() + ")");
        }
        Limit high = limits.get(highest);
        if (high != null && actual > high.value()) {
            throw fail(subject + " above " + highest + " " + high.value() + " (" + high.origin() + ")");
        }
    }

    private String checkRule(String what, String canonical, List<String> elements) throws PropertyException {
        String problem = rule == null ? null : rule.problem(elements);
        if (problem != null) {
            throw fail(what + " " + problem);
        }
        return canonical;
    }

    private PropertyException fail(String message) {
        return new PropertyException(name, message);
    }

    @Override
    public String toString() {
        return "PropertySpec[" + name + ", " + type + (type == PropertyType.ENUM ? " " + enumValues : "")
                + (extension ? ", EXTENSION" : "") + ", " + (queryOnly ? "query-only" : "TUNABLE=" + tunable)
                + (defaultValue == null ? ", required" : ", DEFAULT=" + show(defaultValue)) + "]";
    }

    /** Mutable collector; {@link #build()} makes the immutable spec. */
    static final class Builder {
        private final String name;
        private PropertyType type;
        private boolean extension;
        private Tunable tunable = Tunable.ANYTIME;
        private boolean queryOnly;
        private String defaultValue;
        private List<String> enumValues = List.of();
        private final Map<Bound, Limit> limits = new EnumMap<>(Bound.class);
        private String description;
        private boolean perNode;
        private ValueRule rule;

        Builder(String name, PropertyType type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        /** An {@code INT} with a default and a built-in {@code MIN}. */
        static Builder integer(String name, int dflt, int min) {
            return new Builder(name, PropertyType.INT).defaultValue(Integer.toString(dflt)).limit(Bound.MIN, min);
        }

        String name() {
            return name;
        }

        Builder defaultValue(String value) {
            this.defaultValue = value;
            return this;
        }

        Builder tunable(Tunable value) {
            this.tunable = value;
            return this;
        }

        Builder queryOnly() {
            this.queryOnly = true;
            this.tunable = Tunable.NONE;
            return this;
        }

        Builder enumValues(List<String> values) {
            this.enumValues = List.copyOf(values);
            return this;
        }

        Builder limit(Bound bound, int value) {
            limits.put(bound, new Limit(value, BUILT_IN));
            return this;
        }

        Builder rule(ValueRule value) {
            this.rule = value;
            return this;
        }

        /**
         * Applies an RTR entry: its DEFAULT, limits, TUNABLE and DESCRIPTION win over what the
         * builder holds; an extension entry also brings its type and enum values.
         */
        Builder refine(PropertyDecl decl, String origin) {
            if (decl.extension()) {
                extension = true;
                type = decl.type().orElseThrow();
                enumValues = List.copyOf(decl.enumValues());
            }
            decl.defaultValue().ifPresent(v -> defaultValue = v);
            decl.tunable().ifPresent(t -> tunable = t);
            decl.description().ifPresent(d -> description = d);
            perNode = decl.perNode();
            for (Bound bound : Bound.values()) {
                bound.inEntry.apply(decl).ifPresent(v -> limits.put(bound, new Limit(v, origin)));
            }
            return this;
        }

        PropertySpec build() {
            return new PropertySpec(this);
        }
    }
}
