package nexus.query.internal;

import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Registry;

/**
 * Where users' SQL runs: one {@link CopyPool} per registry version in use, keyed by the registry
 * object (compare registries by identity, never by file name). A version's pool is opened at its
 * first query and retired as soon as the registry retires the version: queries in flight finish on
 * it, new ones go to the version served now. Thread-safe.
 */
final class RegistrySql implements AutoCloseable {

    private final int connections;
    private final long waitMillis;
    private final Map<Registry, CopyPool> pools = new IdentityHashMap<>();
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
        CopyPool pool;
        synchronized (this) {
            if (closed) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the query service has stopped");
            }
            retireStale();
            pool = pools.get(registry);
            if (pool == null) {
                pool = CopyPool.open(registry, connections, waitMillis);
                pools.put(registry, pool);
            }
        }
        return pool.borrow();
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
    }

    /** @return how many versions have a pool open (for tests) */
    synchronized int versions() {
        return pools.size();
    }

    /** Retires every pool: connections in use close when they come back. */
    @Override
    public synchronized void close() {
        closed = true;
        pools.values().forEach(CopyPool::retire);
        pools.clear();
    }
}
