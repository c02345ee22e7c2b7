package io.vigil.rgm.engine;

/**
 * How a method call ended.
 *
 * @param ok whether it succeeded
 * @param message on failure, why (exit status, signal, timeout, exception, refusal)
 */
record CallResult(boolean ok, String message) {

    static final CallResult OK = new CallResult(true, "");

    static CallResult failed(String message) {
        return new CallResult(false, message);
    }
}
