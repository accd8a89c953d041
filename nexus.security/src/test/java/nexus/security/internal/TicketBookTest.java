package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import nexus.core.Caller;
import nexus.security.Ticket;

/** Waiting tickets are bounded per identity and in all, and each is taken once. */
class TicketBookTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(30);

    private final TicketBook book = new TicketBook();

    private static AuthenticatedIdentity identity(String name) {
        return new AuthenticatedIdentity(Caller.of(name, Set.of("viewer"), "http 192.0.2.7"), "token", "token:" + name,
                () -> true);
    }

    @Test
    void oneIdentityAskingForManyTicketsDropsOnlyItsOwnOldest() {
        Ticket alices = book.issue(identity("alice"), NOW, TTL, 10_000);
        List<Ticket> mallorys = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            mallorys.add(book.issue(identity("mallory"), NOW, TTL, 10_000));
        }

        assertThat(book.size()).isEqualTo(1 + TicketBook.PER_IDENTITY);
        assertThat(book.redeem(alices.value(), NOW)).isInstanceOf(TicketBook.Redeemed.Found.class);
        assertThat(book.redeem(mallorys.get(0).value(), NOW)).isInstanceOf(TicketBook.Redeemed.Unknown.class);
        assertThat(book.redeem(mallorys.get(999).value(), NOW)).isInstanceOf(TicketBook.Redeemed.Found.class);
    }

    @Test
    void aTicketIsTakenOnceAndNotAfterItExpires() {
        Ticket ticket = book.issue(identity("alice"), NOW, TTL, 10);
        Ticket late = book.issue(identity("alice"), NOW, TTL, 10);

        assertThat(book.redeem(ticket.value(), NOW.plusSeconds(29))).isInstanceOf(TicketBook.Redeemed.Found.class);
        assertThat(book.redeem(ticket.value(), NOW.plusSeconds(29))).isInstanceOf(TicketBook.Redeemed.Unknown.class);
        assertThat(book.redeem(late.value(), NOW.plusSeconds(30))).isInstanceOf(TicketBook.Redeemed.Expired.class);
    }

    @Test
    void beyondTheLimitOfAllTheOldestIsDropped() {
        Ticket first = book.issue(identity("a"), NOW, TTL, 2);
        book.issue(identity("b"), NOW, TTL, 2);
        book.issue(identity("c"), NOW, TTL, 2);

        assertThat(book.size()).isEqualTo(2);
        assertThat(book.redeem(first.value(), NOW)).isInstanceOf(TicketBook.Redeemed.Unknown.class);
    }
}
