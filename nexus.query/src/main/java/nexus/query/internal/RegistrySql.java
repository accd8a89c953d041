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
    private final Map<Registry, CopyPool> pools = new IdentityHashMap<>();
    private final LinkedHashMap<Scoped, CopyPool> scoped = new LinkedHashMap<>(16, 0.75f, true);
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
        CopyPool pool;
        synchronized (this) {
            if (closed) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the query service has stopped");
            }
            retireStale();
            if (scope.isAll()) {
                pool = pools.get(registry);
                if (pool == null) {
                    pool = CopyPool.open(registry, connections, waitMillis);
                    pools.put(registry, pool);
                }
            } else {
                Scoped key = new Scoped(registry, scope);
                pool = scoped.get(key);
                if (pool == null) {
                    // Opened under the lock, like an unscoped pool: a second caller with the same
                    // scope waits for this one instead of building the same scope twice.
                    pool = CopyPool.open(registry, connections, waitMillis, new ScopeViews(scope)::prepare);
                    scoped.put(key, pool);
                    evictBeyond(SCOPED_POOLS);
                }
            }
        }
        return pool.borrow();
    }

    private void evictBeyond(int kept) {
        for (Iterator<CopyPool> i = scoped.values().iterator(); i.hasNext() && scoped.size() > kept;) {
            i.next().retire();
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
        for (Iterator<CopyPool> i = scoped.values().iterator(); i.hasNext();) {
            CopyPool pool = i.next();
            if (pool.stale()) {
                pool.retire();
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
        scoped.values().forEach(CopyPool::retire);
        scoped.clear();
    }
}
