package io.vigil.rgm.rtr;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One paramtable entry of an RTR file: an extension property, or the RTR's refinement of a
 * system-defined property. Immutable; built by {@link RtrParser}.
 */
public final class PropertyDecl {

    private final String name;
    private final boolean extension;
    private final PropertyType type;
    private final PropertyType effectiveType;
    private final List<String> defaultValues;
    private final List<String> enumValues;
    private final Integer min;
    private final Integer max;
    private final Integer minLength;
    private final Integer maxLength;
    private final Integer arrayMinSize;
    private final Integer arrayMaxSize;
    private final Tunable tunable;
    private final Tunable effectiveTunable;
    private final String description;
    private final boolean perNode;
    private final int line;
    private final int column;

    PropertyDecl(Builder b) {
        this.name = Objects.requireNonNull(b.name);
        this.extension = b.extension;
        this.type = b.type;
        this.effectiveType = b.extension ? b.type : SystemProperties.type(b.name).orElse(null);
        this.defaultValues = b.defaultValues == null ? null : List.copyOf(b.defaultValues);
        this.enumValues = List.copyOf(b.enumValues);
        this.min = b.min;
        this.max = b.max;
        this.minLength = b.minLength;
        this.maxLength = b.maxLength;
        this.arrayMinSize = b.arrayMinSize;
        this.arrayMaxSize = b.arrayMaxSize;
        this.tunable = b.tunable;
        this.effectiveTunable = b.tunable != null ? b.tunable
                : b.extension ? Tunable.ANYTIME : SystemProperties.defaultTunable(b.name);
        this.description = b.description;
        this.perNode = b.perNode;
        this.line = b.line;
        this.column = b.column;
    }

    /** @return the property name as written after {@code PROPERTY =} */
    public String name() {
        return name;
    }

    /** @return true for an extension property ({@code EXTENSION}), false for a system-defined one */
    public boolean extension() {
        return extension;
    }

    /** @return the declared type; always empty for a system-defined property */
    public Optional<PropertyType> type() {
        return Optional.ofNullable(type);
    }

    /**
     * The declared type of an extension property, or the fixed type of a well-known system-defined
     * property (e.g. {@code INT} for {@code Retry_count} and the method timeouts).
     *
     * @return the type, or empty for a system-defined property this parser does not know
     */
    public Optional<PropertyType> effectiveType() {
        return Optional.ofNullable(effectiveType);
    }

    /**
     * The {@code DEFAULT} attribute. A list is joined with {@code ","}; {@code DEFAULT = ;} and
     * {@code DEFAULT = "";} both give {@code ""}.
     *
     * @return the default, or empty when the entry has no {@code DEFAULT}
     */
    public Optional<String> defaultValue() {
        return defaultValues == null ? Optional.empty() : Optional.of(String.join(",", defaultValues));
    }

    /**
     * The {@code DEFAULT} attribute as a list of values; {@code DEFAULT = ;} and
     * {@code DEFAULT = "";} give an empty list.
     *
     * @return the default values, or empty when the entry has no {@code DEFAULT}
     */
    public Optional<List<String>> defaultList() {
        if (defaultValues == null) {
            return Optional.empty();
        }
        if (defaultValues.size() == 1 && defaultValues.get(0).isEmpty()) {
            return Optional.of(List.of());
        }
        return Optional.of(defaultValues);
    }

    /** @return true when the entry has a {@code DEFAULT} attribute */
    public boolean hasDefault() {
        return defaultValues != null;
    }

    /** @return the values of {@code ENUM { ... }} in file order; empty unless the type is ENUM */
    public List<String> enumValues() {
        return enumValues;
    }

    /** @return {@code MIN} */
    public OptionalInt min() {
        return opt(min);
    }

    /** @return {@code MAX} */
    public OptionalInt max() {
        return opt(max);
    }

    /** @return {@code MINLENGTH} */
    public OptionalInt minLength() {
        return opt(minLength);
    }

    /** @return {@code MAXLENGTH} */
    public OptionalInt maxLength() {
        return opt(maxLength);
    }

    /** @return {@code ARRAY_MINSIZE} */
    public OptionalInt arrayMinSize() {
        return opt(arrayMinSize);
    }

    /** @return {@code ARRAY_MAXSIZE} */
    public OptionalInt arrayMaxSize() {
        return opt(arrayMaxSize);
    }

    /** @return the {@code TUNABLE} attribute as written, or empty when the entry has none */
    public Optional<Tunable> tunable() {
        return Optional.ofNullable(tunable);
    }

    /**
     * The tunability that applies: the {@code TUNABLE} attribute if present, else
     * {@link Tunable#ANYTIME} for an extension property, else the documented default of the
     * system-defined property ({@link Tunable#WHEN_DISABLED} for {@code Cheap_probe_interval},
     * {@link Tunable#ANYTIME} otherwise).
     *
     * @return the effective tunability
     */
    public Tunable effectiveTunable() {
        return effectiveTunable;
    }

    /** @return the {@code DESCRIPTION} attribute */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** @return true when the entry says {@code PER_NODE} (or {@code PER_NODE = TRUE}) */
    public boolean perNode() {
        return perNode;
    }

    /** @return the 1-based line of the entry's {@code PROPERTY} keyword */
    public int line() {
        return line;
    }

    /** @return the 1-based column of the entry's {@code PROPERTY} keyword */
    public int column() {
        return column;
    }

    private static OptionalInt opt(Integer i) {
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PropertyDecl[").append(name);
        if (extension) {
            sb.append(", EXTENSION");
        }
        if (type != null) {
            sb.append(", ").append(type);
            if (type == PropertyType.ENUM) {
                sb.append(' ').append(enumValues);
            }
        }
        if (defaultValues != null) {
            sb.append(", DEFAULT=").append(defaultValue().get());
        }
        appendInt(sb, "MIN", min);
        appendInt(sb, "MAX", max);
        appendInt(sb, "MINLENGTH", minLength);
        appendInt(sb, "MAXLENGTH", maxLength);
        appendInt(sb, "ARRAY_MINSIZE", arrayMinSize);
        appendInt(sb, "ARRAY_MAXSIZE", arrayMaxSize);
        if (tunable != null) {
            sb.append(", TUNABLE=").append(tunable);
        }
        if (perNode) {
            sb.append(", PER_NODE");
        }
        return sb.append(", line ").append(line).append(']').toString();
    }

    private static void appendInt(StringBuilder sb, String key, Integer value) {
        if (value != null) {
            sb.append(", ").append(key).append('=').append(value);
        }
    }

    /** Mutable collector used by the parser. */
    static final class Builder {
        String name;
        boolean extension;
        PropertyType type;
        List<String> defaultValues;
        List<String> enumValues = List.of();
        Integer min;
        Integer max;
        Integer minLength;
        Integer maxLength;
        Integer arrayMinSize;
        Integer arrayMaxSize;
        Tunable tunable;
        String description;
        boolean perNode;
        int line;
        int column;
    }
}
