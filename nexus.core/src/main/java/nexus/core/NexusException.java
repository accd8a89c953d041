package nexus.core;

import java.util.Objects;

/**
 * The one unchecked exception RMA Nexus throws across bundle boundaries. Its message is written
 * for the person who sent the request: it says what was wrong and, where possible, how to fix it.
 * It never carries a stack trace or class name to a client; front-ends log the cause instead.
 *
 * <p>Bulk operations (a query over many tags, an alarm scan) do not throw per item: each item
 * carries its own quality or status.
 */
public class NexusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * @param code    the stable error code
     * @param message a message for the caller: what was wrong and how to fix it
     */
    public NexusException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code    the stable error code
     * @param message a message for the caller: what was wrong and how to fix it
     * @param cause   the underlying failure, for the log
     */
    public NexusException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the stable error code, never {@code null} */
    public ErrorCode code() {
        return code;
    }
}
