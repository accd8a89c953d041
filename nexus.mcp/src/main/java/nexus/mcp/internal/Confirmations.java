package nexus.mcp.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The confirmation ids of the two-step mutating tools. A dry run issues one, bound to the user, the
 * tool, the arguments and the value or state it saw; the real call redeems it once, within its
 * lifetime, with the same user, tool and arguments, and gets back what the dry run saw (the caller
 * then refuses if that moved). An id is gone after its owner's first redemption, whatever the
 * outcome; presented by another identity or for another tool it is answered as unknown and kept. An
 * identity holds at most {@value #PER_USER} pending ids (a new one drops its oldest), so one agent
 * cannot use up the others'; at most {@value #MAX} are pending in all (issuing more drops expired
 * ones first, then refuses). Time is passed in (epoch millis). Thread-safe.
 */
final class Confirmations {

    static final int MAX = 1_000;

    /** The most pending ids one identity holds. */
    static final int PER_USER = 20;

    /** What a dry run saw, under its id. */
    record Pending(String user, String tool, String arguments, Object seen, long expiresAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final long lifetimeMillis;

    Confirmations(Duration lifetime) {
        this.lifetimeMillis = lifetime.toMillis();
    }

    Duration lifetime() {
        return Duration.ofMillis(lifetimeMillis);
    }

    /** @return a new confirmation id for what the dry run saw */
    synchronized String issue(String user, String tool, String arguments, Object seen, long nowMillis) {
        dropOldestBeyond(user, PER_USER - 1);
        if (pending.size() >= MAX) {
            pending.values().removeIf(p -> p.expiresAt() <= nowMillis);
            if (pending.size() >= MAX) {
                throw new NexusException(ErrorCode.OVERLOADED, MAX + " confirmations are pending: confirm or let them expire"
                        + " (" + lifetime().toSeconds() + " s) before asking for more", Duration.ofSeconds(1));
            }
        }
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String id = "c_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        pending.put(id, new Pending(user, tool, arguments, seen, nowMillis + lifetimeMillis));
        return id;
    }

    /**
     * Redeems an id: it is gone afterwards.
     *
     * @return what the dry run saw
     * @throws NexusException CONFLICT when the id is unknown, used, expired, or issued for another
     *                        user, tool or arguments
     */
    Pending redeem(String id, String user, String tool, String arguments, long nowMillis) {
        Pending p = id == null ? null : pending.get(id);
        // another identity's id (or another tool's) is answered like an unknown one, and left alone: only its owner
        // uses it up, so that one who learns an id can neither tell whose it is nor cancel it
        if (p == null || !p.user().equals(user) || !p.tool().equals(tool) || !pending.remove(id, p)) {
            throw conflict("confirmation " + id + " is unknown or was used already: run " + tool + " without"
                    + " 'confirmation' for a new dry run");
        }
        if (p.expiresAt() <= nowMillis) {
            throw conflict("confirmation " + id + " expired (they hold " + lifetime().toSeconds() + " s): run " + tool
                    + " without 'confirmation' for a new dry run");
        }
        if (!Objects.equals(p.arguments(), arguments)) {
            throw conflict("confirmation " + id + " was issued for other arguments (" + p.arguments() + "): the confirmed"
                    + " call repeats the dry run's arguments exactly, plus 'confirmation'");
        }
        return p;
    }

    /** Drops the user's oldest pending ids until at most {@code keep} are left. */
    private void dropOldestBeyond(String user, int keep) {
        List<Map.Entry<String, Pending>> mine = pending.entrySet().stream()
                .filter(e -> e.getValue().user().equals(user))
                .sorted(Comparator.comparingLong(e -> e.getValue().expiresAt())).toList();
        for (int i = 0; i < mine.size() - keep; i++) {
            pending.remove(mine.get(i).getKey());
        }
    }

    /** @return how many ids are pending (expired ones included until they are dropped) */
    int size() {
        return pending.size();
    }

    void purge(long nowMillis) {
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
            if (it.next().expiresAt() <= nowMillis) {
                it.remove();
            }
        }
    }

    private static NexusException conflict(String message) {
        return new NexusException(ErrorCode.CONFLICT, message);
    }
}
