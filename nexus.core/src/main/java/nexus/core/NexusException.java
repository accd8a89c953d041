package nexus.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
    private final Duration retryAfter;

    /**
     * @param code    the stable error code
     * @param message a message for the caller: what was wrong and how to fix it
     */
    public NexusException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = null;
    }

    /**
     * An error the caller may retry after a while, such as {@link ErrorCode#OVERLOADED}.
     *
     * @param code       the stable error code
     * @param message    a message for the caller: what was wrong and how to fix it
     * @param retryAfter when the same request may succeed, at least one second (front-ends show
     *                   whole seconds, for example in HTTP's {@code Retry-After})
     * @since 1.3
     */
    public NexusException(ErrorCode code, String message, Duration retryAfter) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("retryAfter " + retryAfter + " is less than one second");
        }
        this.retryAfter = retryAfter;
    }

    /**
     * @param code    the stable error code
     * @param message a message for the caller: what was wrong and how to fix it
     * @param cause   the underlying failure, for the log
     */
    public NexusException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = null;
    }

    /** @return the stable error code, never {@code null} */
    public ErrorCode code() {
        return code;
    }

    /**
     * @return when the same request may succeed (at least one second), or empty when the error
     *         gives no such hint
     * @since 1.3
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
