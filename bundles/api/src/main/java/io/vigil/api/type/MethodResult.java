package io.vigil.api.type;

import java.util.Objects;

/**
 * The outcome of one callback method: success, or failure with a reason that the RGM records in
 * the resource's {@code Status_msg} and in the log.
 *
 * <p>It mirrors a script method's exit status: {@code 0} is success, anything else failure. A
 * method that throws, or that runs past its timeout, fails as well; the RGM records the
 * exception or the timeout as the reason.
 */
public final class MethodResult {

    private static final MethodResult SUCCESS = new MethodResult(0, "");

    private final int exitCode;
    private final String message;

    private MethodResult(int exitCode, String message) {
        this.exitCode = exitCode;
        this.message = message;
    }

    /**
     * The method did what it was asked.
     *
     * @return the success result (exit code 0)
     */
    public static MethodResult success() {
        return SUCCESS;
    }

    /**
     * The method failed, with exit code 1.
     *
     * @param reason what went wrong, for the operator; must not be blank
     * @return a failure result
     */
    public static MethodResult failure(String reason) {
        return failure(1, reason);
    }

    /**
     * The method failed with a given exit code, as a script would.
     *
     * @param exitCode a non-zero exit code
     * @param reason what went wrong, for the operator; must not be blank
     * @return a failure result
     * @throws IllegalArgumentException if {@code exitCode} is 0 or the reason is blank
     */
    public static MethodResult failure(int exitCode, String reason) {
        if (exitCode == 0) {
            throw new IllegalArgumentException("a failure needs a non-zero exit code, got 0");
        }
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a failure needs a reason, got a blank one");
        }
        return new MethodResult(exitCode, reason);
    }

    /** @return whether the method succeeded */
    public boolean isSuccess() {
        return exitCode == 0;
    }

    /** @return 0 on success, the (non-zero) exit code on failure */
    public int exitCode() {
        return exitCode;
    }

    /** @return the failure's reason; empty on success */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodResult r && r.exitCode == exitCode && r.message.equals(message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exitCode, message);
    }

    @Override
    public String toString() {
        return isSuccess() ? "success" : "failure(" + exitCode + "): " + message;
    }
}
