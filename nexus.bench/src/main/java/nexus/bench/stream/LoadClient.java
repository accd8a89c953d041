package nexus.bench.stream;

import java.io.IOException;
import java.net.http.WebSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * One WebSocket client of a load run: subscribes once when the socket opens, then counts what
 * arrives. A reading client asks for the next message after each one (the JDK client reads the socket
 * only as far as asked), so it reads as fast as it can; a <em>stalled</em> client never asks, so the
 * node's messages for it pile up in the TCP buffers and then in the node, until the node closes it
 * ({@link #drain} reads what is left, close included, at the end of the run).
 *
 * <p>Latency is the receipt time of a message minus each value's {@code ts} (the bank's write time),
 * for {@code data} messages that are not a snapshot, while the run measures. A {@code seq} that skips
 * numbers, within the messages or against a heartbeat's last numbers, counts as a gap. The JDK calls
 * a listener's methods one at a time; the figures are read from another thread, hence the locks.
 */
final class LoadClient implements WebSocket.Listener {

    /** What every client of a run shares: whether values count now, and whether the run is ending. */
    static final class Phase {
        volatile boolean measuring;
        volatile boolean ending;
    }

    /** How the connection ended, if it did before the run ended it. */
    record Ending(Integer code, String reason, String failure) {
    }

    private final boolean stalled;
    private final String subscribe;
    private final Phase phase;
    private final LongSupplier clock;
    private final MessageScan scan = new MessageScan();
    private final StringBuilder partial = new StringBuilder();
    private final Map<String, Long> lastSeq = new HashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile WebSocket socket;
    private long values;
    private long snapshotValues;
    private long overflows;
    private long dataMessages;
    private long otherMessages;
    private long gaps;
    private long errors;
    private String firstError;
    private Ending ending;

    /**
     * @param stalled   whether the client never reads
     * @param subscribe the subscribe message it sends once open
     * @param clock     now, in nanoseconds since the epoch
     */
    LoadClient(boolean stalled, String subscribe, Phase phase, LongSupplier clock) {
        this.stalled = stalled;
        this.subscribe = subscribe;
        this.phase = phase;
        this.clock = clock;
    }

    boolean stalled() {
        return stalled;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.sendText(subscribe, true);
        if (!stalled) {
            // All it can take at once: a demand of 1 per fragment costs a hand-over between the client's
            // selector and listener threads for every fragment, and that queueing counted as latency.
            webSocket.request(Long.MAX_VALUE);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long now = clock.getAsLong();
            String message = partial.toString();
            partial.setLength(0);
            synchronized (this) {
                take(message, now);
            }
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        synchronized (this) {
            if (!phase.ending) {
                ending = new Ending(statusCode, reason, null);
            }
        }
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        synchronized (this) {
            if (!phase.ending) {
                ending = new Ending(null, null, error.toString());
            }
        }
        closed.complete(null);
    }

    /** A stalled client reads at last: what piled up, then the node's close if it sent one. */
    void drain() {
        WebSocket current = socket;
        if (current != null) {
            current.request(Long.MAX_VALUE);
        }
    }

    /** Ends the connection normally (the run is over); it is not counted as a close. */
    void close() {
        WebSocket current = socket;
        if (current != null && !closed.isDone()) {
            current.sendClose(WebSocket.NORMAL_CLOSURE, "load run over");
        }
    }

    /** Drops the connection without a close handshake (it did not close in time). */
    void abort() {
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
        closed.complete(null);
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    private void take(String message, long now) {
        try {
            scan.read(message);
        } catch (IOException | RuntimeException e) {
            error("unreadable message (" + e.getMessage() + "): " + MessageScan.abbreviate(message));
            return;
        }
        String type = scan.type == null ? "" : scan.type;
        switch (type) {
            case "data" -> {
                dataMessages++;
                sequence(scan.subscription, scan.seq);
                overflows += scan.overflows;
                if (scan.snapshot) {
                    snapshotValues += scan.items;
                } else if (phase.measuring) {
                    values += scan.items;
                    for (int i = 0; i < scan.stamped; i++) {
                        latency.record(now - scan.ts[i]);
                    }
                }
            }
            case "heartbeat" -> {
                otherMessages++;
                scan.heartbeat.forEach((subscription, last) -> {
                    long seen = lastSeq.getOrDefault(subscription, 0L);
                    if (last > seen) {
                        gaps += last - seen;
                        lastSeq.put(subscription, last);
                    }
                });
            }
            case "error" -> {
                otherMessages++;
                error(scan.error);
            }
            default -> {
                otherMessages++;
                if (scan.subscription != null && scan.seq > 0) {
                    sequence(scan.subscription, scan.seq);
                }
            }
        }
    }

    private void sequence(String subscription, long seq) {
        long seen = lastSeq.getOrDefault(subscription, 0L);
        if (seq > seen + 1) {
            gaps += seq - seen - 1;
        }
        lastSeq.put(subscription, Math.max(seen, seq));
    }

    private void error(String text) {
        errors++;
        if (firstError == null) {
            firstError = text;
        }
    }

    /** The client's figures so far. */
    synchronized Figures figures() {
        LatencyHistogram copy = new LatencyHistogram();
        copy.add(latency);
        return new Figures(stalled, values, snapshotValues, overflows, dataMessages, otherMessages, gaps, errors,
                firstError, copy, ending);
    }

    /**
     * @param values         values of non-snapshot {@code data} messages received while measuring
     * @param snapshotValues values of snapshots
     * @param otherMessages  messages other than {@code data}
     * @param gaps           sequence numbers skipped
     * @param errors         {@code error} messages and unreadable ones
     * @param ending         how the connection ended before the run ended it, or {@code null}
     */
    record Figures(boolean stalled, long values, long snapshotValues, long overflows, long dataMessages,
            long otherMessages, long gaps, long errors, String firstError, LatencyHistogram latency, Ending ending) {
    }
}
