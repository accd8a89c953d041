package nexus.loki.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real spool that notes every thread that reads or writes it, and whose writes wait at a
 * {@link Gate} until the test opens it — inside the spool's lock, as a slow forced write would.
 * Like the real spool's streams, a write waiting at the gate is not cut short by an interrupt.
 */
final class GatedSpool extends Spool {

    /** Closed until {@link #open()}; shared by the spools a sink opens. */
    static final class Gate implements Spool.Opener {

        private final CountDownLatch open = new CountDownLatch(1);
        private final AtomicInteger waiting = new AtomicInteger();
        private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        public Spool open(Path dir, long maxBytes, int segmentEntries) {
            return new GatedSpool(dir, maxBytes, segmentEntries, this);
        }

        void open() {
            open.countDown();
        }

        /** @return writes waiting at the gate now */
        int waiting() {
            return waiting.get();
        }

        /** @return every thread that read or wrote the spool (not counting its opening) */
        Set<Thread> threads() {
            return Set.copyOf(threads);
        }

        private void noted() {
            threads.add(Thread.currentThread());
        }

        private void pass() {
            noted();
            waiting.incrementAndGet();
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        open.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                waiting.decrementAndGet();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private final Gate gate;

    private GatedSpool(Path dir, long maxBytes, int segmentEntries, Gate gate) {
        super(dir, maxBytes, segmentEntries);
        this.gate = gate;
    }

    @Override
    synchronized void append(List<Entry> entries) {
        gate.pass();
        super.append(entries);
    }

    @Override
    synchronized boolean discard(List<Entry> batch) {
        gate.noted();
        return super.discard(batch);
    }

    @Override
    synchronized List<Entry> peek(int max, int maxBytes) {
        gate.noted();
        return super.peek(max, maxBytes);
    }

    @Override
    synchronized void commit(List<Entry> batch) {
        gate.noted();
        super.commit(batch);
    }
}
