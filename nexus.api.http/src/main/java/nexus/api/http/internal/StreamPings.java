package nexus.api.http.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The liveness of the open WebSockets (docs/streams.md, "Back-pressure and close codes"): every
 * {@code every} each socket is sent a ping frame, and a socket that has had no frame at all from its
 * client (no pong, no message) for {@code silent} is dropped with 4008. Clients answer pings on their
 * own (RFC 6455 5.5.2; browsers and the JDK's client do), as long as they read: a client that never
 * reads never answers, and would otherwise hold its stream slot for as long as its kernel buffer
 * takes heartbeats (Jetty's idle timeout counts the node's writes as activity). One thread,
 * {@code nexus-api-http-stream-ping}, for every socket; started and stopped with the servlet.
 */
final class StreamPings {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPings.class);

    /** A socket the pings look after. */
    interface Pinged {
        /** @return when a frame last came from the client, {@link System#nanoTime} */
        long lastHeard();

        /** Sends a ping frame; never blocks. */
        void ping();

        /** Drops the connection: its client did not answer pings for this long. */
        void silent(Duration silent);
    }

    private final Duration every;
    private final Duration silent;
    private final Set<Pinged> sockets = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;

    /**
     * @param every  how often a ping is sent
     * @param silent how long a client may send no frame at all before it is dropped (a few pings)
     */
    StreamPings(Duration every, Duration silent) {
        this.every = every;
        this.silent = silent;
    }

    /** Starts the pinging thread. */
    synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nexus-api-http-stream-ping");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::round, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the pinging thread, waiting for a round in progress at most a second. */
    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
        sockets.clear();
    }

    /** A socket opened: it is pinged from the next round on. */
    void add(Pinged socket) {
        sockets.add(socket);
    }

    /** A socket ended. */
    void remove(Pinged socket) {
        sockets.remove(socket);
    }

    /** One round: drops the silent sockets, pings the others. */
    void round() {
        long now = System.nanoTime();
        for (Pinged socket : sockets) {
            try {
                if (now - socket.lastHeard() >= silent.toNanos()) {
                    sockets.remove(socket);
                    socket.silent(silent);
                } else {
                    socket.ping();
                }
            } catch (RuntimeException e) {
                LOG.warn("Stream pings: a socket failed to take its ping; the others go on", e);
            }
        }
    }
}
