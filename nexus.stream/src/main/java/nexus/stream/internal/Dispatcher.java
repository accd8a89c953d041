package nexus.stream.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and sends the messages of woken connections, on its own threads (never a transport's nor the
 * sampler's): a connection with something to send and room in its buffer is queued once, and its turn
 * sends until its buffer is full or it has nothing left; one woken again meanwhile queues again
 * behind the others, so no connection holds a thread for long. Sending never waits (the transport
 * queues), so one slow client delays no other.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final LinkedBlockingQueue<Connection> woken = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /** @param threads dispatching threads to start; 0 for none (a test then {@linkplain #drain drains} by hand) */
    Dispatcher(int threads) {
        for (int i = 1; i <= threads; i++) {
            Thread thread = new Thread(this::loop, "nexus-stream-dispatch-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
            thread.start();
        }
    }

    /** Queues a connection's turn; called once per wake by the connection. */
    void submit(Connection connection) {
        woken.add(connection);
    }

    /** Runs every queued turn on the calling thread, until none is left (for tests). @return turns run */
    int drain() {
        int turns = 0;
        for (Connection connection; (connection = woken.poll()) != null; turns++) {
            connection.turn();
        }
        return turns;
    }

    private void loop() {
        while (running) {
            try {
                woken.take().turn();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Stream dispatcher: a connection's turn failed; the others go on", e);
            }
        }
    }

    /** Stops the threads, waiting at most {@code millis} for each. */
    void stop(long millis) {
        running = false;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
