package nexus.query.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Registry;
import nexus.registry.RegistryCopy;

/**
 * The query engine's read-only connections to one registry version's private copy, opened together
 * right after the copy was leased. A borrowed connection goes back when its {@link Borrowed} is
 * closed; a retired pool closes each connection once it is back, then gives the lease back (and the
 * registry deletes a retired version's copy). Thread-safe.
 */
final class CopyPool {

    /** A connection lent out: closing it gives it back, once. */
    final class Borrowed implements AutoCloseable {
        private final Connection db;
        private boolean closed;

        private Borrowed(Connection db) {
            this.db = db;
        }

        Connection db() {
            return db;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                giveBack(db);
            }
        }
    }

    private final RegistryCopy lease;
    private final int size;
    private final long waitMillis;
    private final BlockingQueue<Connection> idle;
    private int open;
    private boolean retired;

    private CopyPool(RegistryCopy lease, List<Connection> connections, long waitMillis) {
        this.lease = lease;
        this.size = connections.size();
        this.waitMillis = waitMillis;
        this.idle = new ArrayBlockingQueue<>(size, false, connections);
        this.open = size;
    }

    /**
     * Leases the registry's copy and opens {@code size} connections to it.
     *
     * @throws NexusException BACKEND_UNAVAILABLE when the version has been retired or its copy cannot
     *                        be opened
     */
    static CopyPool open(Registry registry, int size, long waitMillis) {
        return open(registry, size, waitMillis, db -> {
        });
    }

    /** What is done to each connection once, right after it opened and before any query runs on it. */
    @FunctionalInterface
    interface Preparation {
        void prepare(Connection db) throws SQLException;
    }

    /**
     * Leases the registry's copy and opens {@code size} connections to it, each prepared once (a read
     * scope laid over it, {@link ScopeViews}).
     *
     * @throws NexusException BACKEND_UNAVAILABLE as {@link #open(Registry, int, long)}
     */
    static CopyPool open(Registry registry, int size, long waitMillis, Preparation preparation) {
        RegistryCopy lease = registry.leaseCopy();
        List<Connection> connections = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) {
                connections.add(ReadOnlySqlite.open(lease.file()));
            }
        } catch (SQLException e) {
            connections.forEach(CopyPool::closeQuietly);
            lease.close();
            throw SqlRunner.translate(e);
        }
        try {
            for (Connection db : connections) {
                preparation.prepare(db);
            }
        } catch (SQLException e) {
            connections.forEach(CopyPool::closeQuietly);
            lease.close();
            NexusException translated = SqlRunner.translate(e);
            throw translated.code() == ErrorCode.BACKEND_UNAVAILABLE ? translated
                    : new NexusException(ErrorCode.INTERNAL, "the query connections could not be limited to the"
                            + " caller's read scope: " + e.getMessage(), e);
        }
        return new CopyPool(lease, connections, waitMillis);
    }

    /** @return whether the registry retired the version: the pool should be retired too */
    boolean stale() {
        return lease.retired();
    }

    /**
     * @throws NexusException BACKEND_UNAVAILABLE when the pool was retired, or no connection came
     *                        free in time (admission control lends no more than there are, so this
     *                        means a defect, not load)
     */
    Borrowed borrow() {
        synchronized (this) {
            if (retired) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "this registry version has been replaced: ask again");
            }
        }
        Connection db;
        try {
            db = idle.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "interrupted while waiting for a query connection");
        }
        if (db == null) {
            synchronized (this) {
                if (retired) {
                    throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "this registry version has been replaced: ask again");
                }
            }
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "all " + size + " query connections to registry"
                    + " version " + lease.version() + " are busy: try again");
        }
        return new Borrowed(db);
    }

    /** Closes idle connections now and the others when they come back; then gives the lease back. */
    void retire() {
        synchronized (this) {
            if (retired) {
                return;
            }
            retired = true;
        }
        closeIdle();
    }

    private void giveBack(Connection db) {
        idle.offer(db);
        boolean closing;
        synchronized (this) {
            closing = retired;
        }
        if (closing) {
            closeIdle(); // retire() may have drained the queue before this one came back
        }
    }

    private void closeIdle() {
        Connection db;
        while ((db = idle.poll()) != null) {
            closeQuietly(db);
            boolean last;
            synchronized (this) {
                last = --open == 0;
            }
            if (last) {
                lease.close();
            }
        }
    }

    private static void closeQuietly(Connection db) {
        try {
            db.close();
        } catch (SQLException e) {
            // closing a read-only connection cannot lose anything
        }
    }
}
