package nexus.security.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nexus.security.Ticket;

/**
 * The stream tickets issued and not yet redeemed. A ticket is 256 random bits; the table is keyed by
 * the ticket's SHA-256, so looking one up compares nothing secret. Bounded: expired tickets are
 * purged whenever one is issued; one identity holds at most {@value #PER_IDENTITY} waiting tickets
 * (beyond, its own oldest is dropped, so no identity can push out another's); and beyond {@code max}
 * the oldest of all is dropped. Thread-safe.
 */
final class TicketBook {

    /** The most tickets one identity may have waiting: a browser opens a few streams, not hundreds. */
    static final int PER_IDENTITY = 32;

    /** A ticket issued to this identity, valid until {@code expires}. */
    record Issued(AuthenticatedIdentity identity, Instant expires) {
    }

    /** What redeeming found: the ticket's entry, or why there is none. */
    sealed interface Redeemed {
        record Found(Issued issued) implements Redeemed {
        }

        record Expired() implements Redeemed {
        }

        record Unknown() implements Redeemed {
        }
    }

    private final Map<String, Issued> byHash = new LinkedHashMap<>();

    /** Issues a ticket for the identity, valid for {@code ttl} from {@code now}. */
    synchronized Ticket issue(AuthenticatedIdentity identity, Instant now, Duration ttl, int max) {
        purge(now);
        String principal = identity.principal();
        List<String> own = byHash.entrySet().stream().filter(e -> e.getValue().identity().principal().equals(principal))
                .map(Map.Entry::getKey).toList();
        for (int i = 0; i <= own.size() - PER_IDENTITY; i++) {
            byHash.remove(own.get(i));
        }
        while (byHash.size() >= max) {
            byHash.remove(byHash.keySet().iterator().next());
        }
        String value = Secrets.newTicket();
        Instant expires = now.plus(ttl);
        byHash.put(Secrets.sha256Hex(value), new Issued(identity, expires));
        return new Ticket(value, expires);
    }

    /** Takes the ticket out of the table, whatever it is, and says what it was. */
    synchronized Redeemed redeem(String value, Instant now) {
        Issued issued = value == null ? null : byHash.remove(Secrets.sha256Hex(value));
        if (issued == null) {
            return new Redeemed.Unknown();
        }
        return now.isBefore(issued.expires()) ? new Redeemed.Found(issued) : new Redeemed.Expired();
    }

    /** @return how many tickets wait to be redeemed (expired ones included until the next purge) */
    synchronized int size() {
        return byHash.size();
    }

    private void purge(Instant now) {
        for (Iterator<Issued> it = byHash.values().iterator(); it.hasNext();) {
            if (!now.isBefore(it.next().expires())) {
                it.remove();
            }
        }
    }
}
