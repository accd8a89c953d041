package nexus.audit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Group commit: callers queue their item and wait; the first caller to find no commit running leads
 * — it takes every item queued so far and commits them together (one write, one fsync), outside
 * the lock — while the others wait on a condition. Items queued during a commit form the next
 * batch, so concurrent callers share fsyncs and a lone caller pays for one. One commit runs at a
 * time, so whatever the committer touches needs no lock of its own and batches are committed in
 * the order they were taken. Thread-safe.
 *
 * @param <I> what a caller hands in
 * @param <O> what a caller gets back
 */
final class GroupCommit<I, O> {

    /** One caller's item on its way through a commit; the committer answers each with {@link #done} or {@link #failed}. */
    static final class Request<I, O> {
        final I item;
        private O answer;
        private RuntimeException failure;
        private boolean settled;

        Request(I item) {
            this.item = item;
        }

        void done(O answer) {
            this.answer = answer;
        }

        void failed(RuntimeException why) {
            this.failure = why;
        }

        private O outcome() {
            if (failure != null) {
                throw failure;
            }
            return answer;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition settled = lock.newCondition();
    private final ArrayDeque<Request<I, O>> queued = new ArrayDeque<>();
    private final Consumer<List<Request<I, O>>> committer;
    private final Supplier<RuntimeException> interrupted;
    private boolean committing;

    /**
     * @param committer   commits a batch, in the caller's thread, and answers every request in it;
     *                    a request it leaves unanswered fails with what it threw, or with
     *                    {@code IllegalStateException}
     * @param interrupted the failure of a caller interrupted before its item was taken into a batch
     *                    (the item is then not committed)
     */
    GroupCommit(Consumer<List<Request<I, O>>> committer, Supplier<RuntimeException> interrupted) {
        this.committer = committer;
        this.interrupted = interrupted;
    }

    /**
     * Queues the item and returns once it is committed, by this caller or another.
     *
     * @return the committer's answer
     * @throws RuntimeException the committer's failure for this item, or the interrupted failure when
     *                          the caller was interrupted before its item was taken
     */
    O submit(I item) {
        Request<I, O> request = new Request<>(item);
        List<Request<I, O>> batch;
        lock.lock();
        try {
            queued.add(request);
            boolean wasInterrupted = false;
            while (!request.settled && committing) {
                try {
                    settled.await();
                } catch (InterruptedException e) {
                    if (queued.remove(request)) { // not taken yet: it can still be taken back
                        Thread.currentThread().interrupt();
                        throw interrupted.get();
                    }
                    wasInterrupted = true; // in the running batch: its outcome must be awaited
                }
            }
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
            if (request.settled) {
                return request.outcome();
            }
            committing = true;
            batch = new ArrayList<>(queued);
            queued.clear();
        } finally {
            lock.unlock();
        }
        commit(batch);
        return request.outcome();
    }

    /** Runs {@code task} as a commit of its own (no item): after the running one, before the next. */
    void exclusive(Runnable task) {
        lock.lock();
        try {
            while (committing) {
                settled.awaitUninterruptibly();
            }
            committing = true;
        } finally {
            lock.unlock();
        }
        try {
            task.run();
        } finally {
            release(List.of());
        }
    }

    private void commit(List<Request<I, O>> batch) {
        RuntimeException thrown = null;
        try {
            committer.accept(batch);
        } catch (RuntimeException e) {
            thrown = e;
        } finally {
            for (Request<I, O> request : batch) {
                if (request.answer == null && request.failure == null) {
                    request.failure = thrown != null ? thrown
                            : new IllegalStateException("the commit left an item unanswered");
                }
            }
            release(batch);
        }
    }

    private void release(List<Request<I, O>> batch) {
        lock.lock();
        try {
            for (Request<I, O> request : batch) {
                request.settled = true;
            }
            committing = false;
            settled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return items waiting for the next commit */
    int waiting() {
        lock.lock();
        try {
            return queued.size();
        } finally {
            lock.unlock();
        }
    }
}
