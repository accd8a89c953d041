package nexus.security;

import java.time.Instant;
import java.util.Objects;

/**
 * A single-use stream ticket: a random value a browser presents once, before it expires, on a
 * WebSocket upgrade or an EventSource request (the only place a credential may appear in a URL).
 *
 * @param value   the ticket, URL-safe
 * @param expires when it stops being accepted, about 30 seconds after it was issued
 * @since 1.0
 */
public record Ticket(String value, Instant expires) {

    public Ticket {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expires, "expires");
    }
}
