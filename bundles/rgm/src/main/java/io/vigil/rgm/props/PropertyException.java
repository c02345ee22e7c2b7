package io.vigil.rgm.props;

import java.util.Objects;

/**
 * A property value or change was refused. The message names the property, the value given and
 * what was expected, e.g. {@code Retry_count = 11 is above MAX 10 (declared in SUNW.hasam)}; it
 * is meant for the operator as it is. Nothing of the refused call was applied.
 *
 * <p>Checked, like {@link io.vigil.rgm.rtr.RtrException}: a bad value is an input error the
 * caller must turn into an answer to whoever gave it, never a crash.
 */
public final class PropertyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String property;

    /**
     * @param property the property concerned, in its canonical spelling when it is known
     * @param message what was wrong and what was expected
     */
    public PropertyException(String property, String message) {
        super(message);
        this.property = Objects.requireNonNull(property, "property");
    }

    /** @return the property concerned: its canonical name, or the name given when it is unknown */
    public String property() {
        return property;
    }
}
