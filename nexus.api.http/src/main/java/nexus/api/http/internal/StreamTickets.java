package nexus.api.http.internal;

import java.io.IOException;

import nexus.security.Ticket;

/**
 * {@code POST /api/v1/stream/tickets}: a single-use ticket for the authenticated identity, which a
 * browser presents once, within about 30 seconds, as {@code ?ticket=} on the WebSocket upgrade or
 * EventSource request that opens a stream (browsers can send no {@code Authorization} there). The
 * ticket is the authenticator's ({@code Authenticator.issueTicket}); {@link AccessFilter} redeems it.
 * Answers 201 {@code {"ticket", "expires"}}; a body, if any, is not read.
 */
final class StreamTickets {

    private StreamTickets() {
    }

    static void issue(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        Requester requester = exchange.requester();
        Ticket ticket = requester.authenticator().issueTicket(requester.identity());
        Http.json(exchange.request(), exchange.response(), 201, json -> {
            json.writeStartObject();
            json.writeStringField("ticket", ticket.value());
            json.writeStringField("expires", ticket.expires().toString());
            json.writeEndObject();
        });
    }
}
