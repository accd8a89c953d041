package nexus.audit.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Journal files on a disk the test controls: it can fail writes (a full disk) or syncs, counts
 * syncs, logs what happens in order, and can hold the next sync until released so that a test can
 * line appends up behind it.
 */
final class Disk implements Output.Opener {

    volatile boolean full;
    volatile boolean syncFails;
    final AtomicInteger syncs = new AtomicInteger();
    /** What happened, in order: {@code write}, {@code sync}, and what the test adds. */
    final List<String> log = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch hold;
    private volatile CountDownLatch holding;
    final CountDownLatch held = new CountDownLatch(1);

    /** The next sync waits until {@link #release}. */
    void holdNextSync() {
        holding = new CountDownLatch(1);
        hold = holding;
    }

    void release() {
        holding.countDown();
    }

    @Override
    public Output open(Path file) throws IOException {
        Output real = Output.open(file);
        return new Output() {
            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                real.truncate(size);
            }

            @Override
            public void write(byte[] bytes, int length) throws IOException {
                if (full) {
                    real.write(bytes, Math.min(length, 7)); // a part of it reaches the file, as on a full disk
                    throw new IOException("No space left on device");
                }
                real.write(bytes, length);
                log.add("write");
            }

            @Override
            public void sync() throws IOException {
                CountDownLatch waiting = hold;
                if (waiting != null) {
                    hold = null;
                    held.countDown();
                    try {
                        if (!waiting.await(30, TimeUnit.SECONDS)) {
                            throw new IOException("the test never released the sync");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
                if (syncFails) {
                    throw new IOException("Input/output error");
                }
                real.sync();
                syncs.incrementAndGet();
                log.add("sync");
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }
}
