package io.vigil.pgpool.codec;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Writes JSON as the watchdog's {@code json_writer.c} does: no spaces, except
 * {@code "name": [} before an array; members in the order they are put. Strings are escaped
 * (as Pgpool-II does from 4.3.15 and 4.6.1).
 */
public final class JsonText {

    private final StringBuilder sb = new StringBuilder(256);
    private boolean first = true;

    /** Starts the outermost object. */
    public JsonText() {
        sb.append('{');
    }

    private JsonText name(String name) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        sb.append('"').append(JsonStringEncoder.getInstance().quoteAsString(name)).append("\":");
        return this;
    }

    /**
     * @param name the member's name
     * @param value an integer
     * @return this
     */
    public JsonText put(String name, int value) {
        name(name).sb.append(value);
        return this;
    }

    /**
     * @param name the member's name
     * @param value a string
     * @return this
     */
    public JsonText put(String name, String value) {
        name(name).sb.append('"').append(JsonStringEncoder.getInstance().quoteAsString(value)).append('"');
        return this;
    }

    /**
     * @param name the member's name
     * @return this, inside the array {@code "name": [}
     */
    public JsonText startArray(String name) {
        name(name).sb.append(" [");
        first = true;
        return this;
    }

    /** @return this, inside a new object element of the current array */
    public JsonText startElement() {
        if (!first) {
            sb.append(',');
        }
        sb.append('{');
        first = true;
        return this;
    }

    /** @return this, after the current object element */
    public JsonText endElement() {
        sb.append('}');
        first = false;
        return this;
    }

    /** @return this, after the current array */
    public JsonText endArray() {
        sb.append(']');
        first = false;
        return this;
    }

    /** @return the text, the outermost object closed */
    public String end() {
        return sb.append('}').toString();
    }
}
