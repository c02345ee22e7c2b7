package io.vigil.rgm.engine;

/** Runs one callback method to its end, within its timeout; never throws for a failing method. */
interface MethodRunner {

    /**
     * @param call the call
     * @return how it ended
     */
    CallResult run(MethodCall call);
}
