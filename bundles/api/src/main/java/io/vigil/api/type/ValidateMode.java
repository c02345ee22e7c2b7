package io.vigil.api.type;

/**
 * Why {@link Method#VALIDATE} is called: the {@code -c} and {@code -u} flags of a script type's
 * Validate program.
 */
public enum ValidateMode {
    /** {@code -c}: the resource is being created; every property is given. */
    CREATE,
    /** {@code -u}: properties are being changed; the changed ones are named. */
    UPDATE
}
