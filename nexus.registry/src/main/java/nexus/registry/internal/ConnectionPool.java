package nexus.registry.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * A fixed set of read-only connections to one registry file, all opened when the registry was
 * loaded, so that they read that very file even after it is replaced on disk. A borrowed connection
 * goes back when closed; retiring the pool closes every connection once it is back.
 */
final class ConnectionPool {

    private final List<Connection> all;
    private final BlockingQueue<Connection> idle;
    private final long waitMillis;
    private final java.util.concurrent.atomic.AtomicInteger open;
    private volatile Runnable onClosed = () -> { };
    private volatile boolean retired;

    ConnectionPool(List<Connection> connections, long waitMillis) {
        this.all = List.copyOf(connections);
        this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
        this.waitMillis = waitMillis;
        this.open = new java.util.concurrent.atomic.AtomicInteger(connections.size());
    }

    /** @param action runs once, after retirement, when the last connection has been closed */
    void whenClosed(Runnable action) {
        this.onClosed = action;
    }

    /** @return a connection; closing it returns it to the pool */
    Connection borrow() {
        if (retired) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "this registry version has been replaced: ask again");
        }
        Connection connection;
        try {
            connection = idle.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "interrupted while waiting for a registry connection");
        }
        if (connection == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "all " + all.size()
                    + " registry connections are busy: try again, or raise connections in etc/nexus.registry.cfg");
        }
        return lease(connection);
    }

    /** Closes idle connections now and the others when they come back. */
    void retire() {
        retired = true;
        Connection connection;
        while ((connection = idle.poll()) != null) {
            closeCounted(connection);
        }
    }

    private void giveBack(Connection connection) {
        idle.offer(connection);
        if (retired) {
            // retire() may have drained the queue before this connection came back: close what is idle now
            Connection back;
            while ((back = idle.poll()) != null) {
                closeCounted(back);
            }
        }
    }

    private void closeCounted(Connection connection) {
        closeQuietly(connection);
        if (open.decrementAndGet() == 0) {
            onClosed.run();
        }
    }

    private Connection lease(Connection connection) {
        InvocationHandler handler = new InvocationHandler() {
            private boolean closed;

            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                switch (method.getName()) {
                    case "close" -> {
                        if (!closed) {
                            closed = true;
                            giveBack(connection);
                        }
                        return null;
                    }
                    case "isClosed" -> {
                        return closed || connection.isClosed();
                    }
                    default -> {
                        if (closed) {
                            throw new SQLException("this registry connection was given back");
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] { Connection.class },
                handler);
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a read-only connection cannot lose anything
        }
    }

    static List<Connection> open(java.nio.file.Path file, int count) throws SQLException {
        List<Connection> connections = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                connections.add(Sqlite.readOnly(file));
            }
            return connections;
        } catch (SQLException e) {
            connections.forEach(ConnectionPool::closeQuietly);
            throw e;
        }
    }
}
