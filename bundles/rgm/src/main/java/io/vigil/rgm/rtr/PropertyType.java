package io.vigil.rgm.rtr;

/** Type of a resource property, as an RTR paramtable entry declares it. */
public enum PropertyType {
    /** {@code STRING}: one string. */
    STRING,
    /** {@code BOOLEAN}: {@code TRUE} or {@code FALSE}. */
    BOOLEAN,
    /** {@code INT}: a 32-bit integer. */
    INT,
    /** {@code ENUM { ... }}: one of a fixed set of values. */
    ENUM,
    /** {@code STRINGARRAY}: a list of strings. */
    STRINGARRAY
}
