package io.vigil.pgpool.codec;

import java.io.IOException;

/** A packet broke the framing: truncated, too long, or a negative length. */
public final class WdProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and what was expected */
    public WdProtocolException(String message) {
        super(message);
    }
}
