package io.vigil.api.type;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Property values of a resource or resource group, with typed access.
 *
 * <p>Values are held as text, exactly as an operator writes them ({@code -p name=value}) and as a
 * script type receives them: an {@code INT} is decimal, a {@code BOOLEAN} is {@code TRUE} or
 * {@code FALSE} (any case), a {@code STRINGARRAY} is its elements joined by commas. Names are
 * case-insensitive, as in RTR files. By the time a method sees them, the RGM has already checked
 * every value against the type's schema; the typed getters fail only when a method asks for a
 * property its type does not declare, or under a type the declaration does not have.
 *
 * <p>Instances are immutable.
 */
public final class PropertyValues {

    private static final PropertyValues EMPTY = new PropertyValues(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

    private final TreeMap<String, String> values;

    private PropertyValues(TreeMap<String, String> values) {
        this.values = values;
    }

    /**
     * Property values from a map of names to their textual values.
     *
     * @param values names and values; neither may be null, and no two names may differ only in case
     * @return the values
     * @throws IllegalArgumentException if two names differ only in case
     */
    public static PropertyValues of(Map<String, String> values) {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> e : values.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "property name");
            String value = Objects.requireNonNull(e.getValue(), () -> "value of property " + name);
            if (copy.put(name, value) != null) {
                throw new IllegalArgumentException("property " + name + " is given twice (names are case-insensitive)");
            }
        }
        return new PropertyValues(copy);
    }

    /** @return no properties at all */
    public static PropertyValues empty() {
        return EMPTY;
    }

    /** @return the names present, in case-insensitive order, as first given */
    public Set<String> names() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** @return the values as an unmodifiable, case-insensitive map */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /**
     * @param name a property name, in any case
     * @return whether the property has a value
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * @param name a property name, in any case
     * @return the textual value, or empty when the property has none
     */
    public Optional<String> find(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * @param name a property name, in any case
     * @return the textual value
     * @throws IllegalArgumentException if the property has no value
     */
    public String getString(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("property " + name + " has no value; present: " + values.keySet());
        }
        return v;
    }

    /**
     * @param name an {@code INT} property
     * @return its value
     * @throws IllegalArgumentException if it has no value or is not a decimal integer
     */
    public int getInt(String name) {
        String v = getString(name);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("property " + name + " = \"" + v + "\" is not an integer");
        }
    }

    /**
     * @param name a {@code BOOLEAN} property
     * @return its value
     * @throws IllegalArgumentException if it has no value or is neither TRUE nor FALSE
     */
    public boolean getBoolean(String name) {
        String v = getString(name).trim().toUpperCase(Locale.ROOT);
        switch (v) {
            case "TRUE":
                return true;
            case "FALSE":
                return false;
            default:
                throw new IllegalArgumentException("property " + name + " = \"" + v + "\" is not TRUE or FALSE");
        }
    }

    /**
     * @param name a {@code STRINGARRAY} property
     * @return its elements, in order; an empty value gives an empty list
     * @throws IllegalArgumentException if it has no value
     */
    public List<String> getStringArray(String name) {
        String v = getString(name);
        if (v.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String element : v.split(",", -1)) {
            out.add(element.trim());
        }
        return List.copyOf(out);
    }

    /**
     * Values with some replaced or added; this instance is unchanged.
     *
     * @param changes the names and values to set
     * @return the merged values
     */
    public PropertyValues with(Map<String, String> changes) {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(values);
        for (Map.Entry<String, String> e : changes.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey()), Objects.requireNonNull(e.getValue()));
        }
        return new PropertyValues(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PropertyValues p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
