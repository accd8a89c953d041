package nexus.query.internal;

import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.registry.Registry;

/**
 * Where users' SQL runs: one {@link CopyPool} per registry version in use, keyed by the registry
 * object (compare registries by identity, never by file name), for callers who see the whole
 * namespace; and one per registry version and read scope for callers who see part of it, each
 * connection with the scope laid over it ({@link ScopeViews}). A version's pool is opened at its
 * first query and retired as soon as the registry retires the version: queries in flight finish on
 * it, new ones go to the version served now. Scoped pools are bounded: the least recently used one
 * is retired when a new scope needs room (its connections close once they are back). Thread-safe.
 */
final class RegistrySql implements AutoCloseable {

    /** Scoped pools kept open at once, over every version: a few roles' scopes, each with its own connections. */
    static final int SCOPED_POOLS = 8;

    /** How often a borrower opens its scope again after other scopes pushed it out, before it gives up. */
    static final int EVICTED_ATTEMPTS = 3;

    /** A registry version and a read scope; the registry compared by identity. */
    private record Scoped(Registry registry, PathScope scope) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Scoped s && s.registry == registry && s.scope.equals(scope);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(registry) * 31 + scope.hashCode();
        }
    }

    private final int connections;
    private final long waitMillis;
    /**
     * A scoped pool, opened by the first borrower outside the engine-wide lock (laying a scope over
     * its connections reads every path of the version): borrowers of other scopes and versions
     * never wait for it, borrowers of the same one wait on the slot.
     */
    private static final class Slot {
        /** Held by the borrower that opens the pool, for as long as that takes; never under the engine-wide lock. */
        final Object opening = new Object();
        /** Set once opened; guarded by the slot (held briefly, never while opening). */
        CopyPool pool;
        /** Evicted or closed, before or after it opened; guarded by the slot. */
        boolean dropped;

        void drop() {
            CopyPool opened;
            synchronized (this) {
                dropped = true;
                opened = pool;
            }
            if (opened != null) {
                opened.retire();
            }
        }

        synchronized boolean stale() {
            return pool != null && pool.stale();
        }

        /** @return whether it was dropped to make room for other scopes, its version still served */
        synchronized boolean evicted() {
            return dropped && (pool == null || !pool.stale());
        }
    }

    private final Map<Registry, CopyPool> pools = new IdentityHashMap<>();
    private final LinkedHashMap<Scoped, Slot> scoped = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    /**
     * @param connections connections per version: the admission slots, so an admitted query never waits
     * @param waitMillis  how long a borrower waits for a connection at most
     */
    RegistrySql(int connections, long waitMillis) {
        this.connections = connections;
        this.waitMillis = waitMillis;
    }

    /**
     * @return a connection to the registry's private copy; close it to give it back
     * @throws NexusException BACKEND_UNAVAILABLE when the version has been replaced, its copy cannot
     *                        be opened, or the engine has stopped
     */
    CopyPool.Borrowed borrow(Registry registry) {
        return borrow(registry, PathScope.ALL);
    }

    /**
     * @param scope what the caller reads: {@link PathScope#ALL} for the whole namespace (no scoping, no
     *              extra cost), {@link PathScope#NONE} for nothing
     * @return a connection to the registry's private copy on which the public views hold only what
     *         the scope sees; close it to give it back
     * @throws NexusException BACKEND_UNAVAILABLE as {@link #borrow(Registry)}
     */
    CopyPool.Borrowed borrow(Registry registry, PathScope scope) {
        if (scope.isAll()) {
            CopyPool pool;
            synchronized (this) {
                refuseWhenClosed();
                retireStale();
                pool = pools.get(registry);
                if (pool == null) {
                    pool = CopyPool.open(registry, connections, waitMillis);
                    pools.put(registry, pool);
                }
            }
            return pool.borrow();
        }
        Scoped key = new Scoped(registry, scope);
        for (int attempt = 1;; attempt++) {
            Slot slot;
            synchronized (this) {
                refuseWhenClosed();
                retireStale();
                slot = scoped.get(key);
                if (slot == null) {
                    slot = new Slot();
                    scoped.put(key, slot);
                    evictBeyond(SCOPED_POOLS);
                }
            }
            try {
                return open(key, slot).borrow();
            } catch (NexusException e) {
                // Other scopes needed the room while this one opened or was about to lend: that is no
                // reason to fail the query (a retired version or a stopped engine is).
                if (attempt == EVICTED_ATTEMPTS || !slot.evicted()) {
                    throw e;
                }
            }
        }
    }

    private void refuseWhenClosed() {
        if (closed) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the query service has stopped");
        }
    }

    /** @return the slot's pool, opened by the first borrower while later ones of the same scope wait */
    private CopyPool open(Scoped key, Slot slot) {
        synchronized (slot.opening) {
            synchronized (slot) {
                if (slot.pool != null) {
                    return slot.pool;
                }
                if (slot.dropped) {
                    throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the query connections of this scope were"
                            + " closed: ask again");
                }
            }
            CopyPool opened;
            try {
                opened = CopyPool.open(key.registry(), connections, waitMillis, new ScopeViews(key.scope())::prepare);
            } catch (RuntimeException e) {
                synchronized (this) {
                    scoped.remove(key, slot);
                }
                throw e;
            }
            boolean dropped;
            synchronized (slot) {
                slot.pool = opened;
                dropped = slot.dropped;
            }
            if (dropped) {
                opened.retire(); // evicted while it opened: closed at once, its borrower is told to ask again
            }
            return opened;
        }
    }

    private void evictBeyond(int kept) {
        for (Iterator<Slot> i = scoped.values().iterator(); i.hasNext() && scoped.size() > kept;) {
            i.next().drop();
            i.remove();
        }
    }

    /** Retires the pools of versions the registry has retired. */
    synchronized void retireStale() {
        for (Iterator<CopyPool> i = pools.values().iterator(); i.hasNext();) {
            CopyPool pool = i.next();
            if (pool.stale()) {
                pool.retire();
                i.remove();
            }
        }
        for (Iterator<Slot> i = scoped.values().iterator(); i.hasNext();) {
            Slot slot = i.next();
            if (slot.stale()) {
                slot.drop();
                i.remove();
            }
        }
    }

    /** @return how many versions have a pool open (for tests) */
    synchronized int versions() {
        return pools.size();
    }

    /** @return how many (version, scope) pools are open (for tests) */
    synchronized int scopes() {
        return scoped.size();
    }

    /** Retires every pool: connections in use close when they come back. */
    @Override
    public synchronized void close() {
        closed = true;
        pools.values().forEach(CopyPool::retire);
        pools.clear();
        scoped.values().forEach(Slot::drop);
        scoped.clear();
    }
}
