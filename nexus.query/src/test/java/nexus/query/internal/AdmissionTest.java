package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

class AdmissionTest {

    private final ExecutorService clients = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        clients.shutdownNow();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static NexusException refusal(Runnable action) {
        try {
            action.run();
        } catch (NexusException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aFullQueueIsRefusedAtOnceWithARetryHint() {
        Admission admission = new Admission(2, 0, 60_000, 500, 1, 5);
        Admission.Ticket first = admission.admit();
        Admission.Ticket second = admission.admit();

        // The queue holds none: the third is refused without waiting the minute it could wait.
        NexusException refused = refusal(() -> admission.admit());

        assertThat(refused.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refused.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(refused.getMessage()).startsWith("the node is running 2 queries and 0 more are waiting");
        Admission.Stats stats = admission.stats();
        assertThat(stats.refused(Admission.Refusal.QUEUE_FULL)).isEqualTo(1);
        assertThat(stats.running()).isEqualTo(2);
        assertThat(stats.admitted()).isEqualTo(2);
        first.close();
        second.close();
    }

    @Test
    void aWaitingQueryIsAdmittedWhenASlotComesFree() throws Exception {
        Admission admission = new Admission(2, 1, 60_000, 500, 1, 5);
        Admission.Ticket first = admission.admit();
        Admission.Ticket second = admission.admit();
        Future<Admission.Ticket> waiter = clients.submit(() -> admission.admit());
        await("one query waits", () -> admission.stats().waiting() == 1);

        assertThat(refusal(() -> admission.admit()).code()).as("the queue of one is full").isEqualTo(ErrorCode.OVERLOADED);
        first.close();

        Admission.Ticket third = waiter.get(10, TimeUnit.SECONDS);
        assertThat(admission.stats().waiting()).isZero();
        assertThat(admission.stats().running()).isEqualTo(2);
        assertThat(admission.stats().admitted()).isEqualTo(3);
        second.close();
        third.close();
        assertThat(admission.stats().running()).isZero();
    }

    @Test
    void aQueryThatWaitsTooLongIsRefused() {
        Admission admission = new Admission(2, 4, 50, 500, 1, 5);
        Admission.Ticket first = admission.admit();
        Admission.Ticket second = admission.admit();

        NexusException refused = refusal(() -> admission.admit());

        assertThat(refused.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refused.getMessage()).startsWith("no query slot came free within 50 ms");
        assertThat(admission.stats().refused(Admission.Refusal.WAIT_TIMEOUT)).isEqualTo(1);
        assertThat(admission.stats().waiting()).isZero();
        first.close();
        second.close();
    }

    @Test
    void longQueriesNeverTakeTheLastSlot() {
        Admission admission = new Admission(3, 0, 0, 500, 1, 5);
        Admission.Ticket heavy1 = admission.admit();
        Admission.Ticket heavy2 = admission.admit();
        Admission.Ticket heavy3 = admission.admit();
        assertThat(heavy1.becomeLong()).isTrue();
        assertThat(heavy2.becomeLong()).isTrue();

        assertThat(heavy3.becomeLong()).as("a third long query of three slots").isFalse();
        NexusException refused = heavy3.refusal();
        assertThat(refused.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refused.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(refused.getMessage()).startsWith("the query ran longer than 500 ms while 2 other long queries were running");
        heavy3.close(); // the engine stops it and gives its slot back

        Admission.Ticket light = admission.admit();
        assertThat(admission.stats().running()).isEqualTo(3);
        assertThat(admission.stats().longRunning()).isEqualTo(2);
        light.close();
        assertThat(admission.stats().refused(Admission.Refusal.TOO_MANY_LONG)).isEqualTo(1);

        heavy1.close();
        Admission.Ticket next = admission.admit();
        assertThat(next.becomeLong()).as("a long permit given back is taken again").isTrue();
        next.close();
        heavy2.close();
    }

    @Test
    void aQueryJustStoppedAsTooLongIsRefusedAtOnceWhileTheLongPermitsAreTaken() {
        Admission admission = new Admission(2, 0, 0, 500, 1, 5);
        Admission.Ticket heavy = admission.admit("SELECT heavy");
        assertThat(heavy.becomeLong()).isTrue();
        Admission.Ticket again = admission.admit("SELECT heavy 2");
        assertThat(again.becomeLong()).isFalse();
        again.close();

        NexusException refused = refusal(() -> admission.admit("SELECT heavy 2"));
        assertThat(refused.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refused.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(refused.getMessage()).startsWith("this query was stopped moments ago");
        assertThat(admission.stats().refused(Admission.Refusal.REPEATED_LONG)).isEqualTo(1);
        admission.admit("SELECT light").close(); // another query still gets the free slot

        heavy.close();
        Admission.Ticket retried = admission.admit("SELECT heavy 2");
        assertThat(retried.becomeLong()).as("once a long permit is free it may run again").isTrue();
        retried.close();
    }

    @Test
    void ticketsGiveTheirPermitsBackOnceAlsoOnExceptions() {
        Admission admission = new Admission(2, 0, 0, 500, 1, 5);
        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(() -> {
                try (Admission.Ticket ticket = admission.admit()) {
                    ticket.becomeLong();
                    throw new IllegalStateException("the query failed");
                }
            }).isInstanceOf(IllegalStateException.class);
        }
        Admission.Ticket twice = admission.admit();
        twice.close();
        twice.close();
        assertThat(twice.becomeLong()).as("a closed ticket never takes a long permit").isFalse();

        Admission.Stats stats = admission.stats();
        assertThat(stats.running()).isZero();
        assertThat(stats.longRunning()).isZero();
        assertThat(stats.admitted()).isEqualTo(101);
        // Both slots and the one long permit are free again.
        Admission.Ticket a = admission.admit();
        Admission.Ticket b = admission.admit();
        assertThat(a.becomeLong()).isTrue();
        a.close();
        b.close();
    }

    @Test
    void anInterruptedWaitIsNotAnOverloadAndKeepsTheFlag() throws Exception {
        Admission admission = new Admission(2, 1, 60_000, 500, 1, 5);
        Admission.Ticket first = admission.admit();
        Admission.Ticket second = admission.admit();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                admission.admit().close();
                outcome.complete("admitted");
            } catch (NexusException e) {
                outcome.complete(e.code() + " " + Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        await("one query waits", () -> admission.stats().waiting() == 1);
        waiter.interrupt();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("BACKEND_UNAVAILABLE true");
        assertThat(admission.stats().waiting()).isZero();
        first.close();
        second.close();
    }

    @Test
    void refusesSettingsThatWouldLeaveNoSlotForShortQueries() {
        assertThatThrownBy(() -> new Admission(1, 0, 0, 500, 1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Admission.retryLong(5_000)).isEqualTo(5);
        assertThat(Admission.retryLong(1_200)).isEqualTo(2);
        assertThat(Admission.retryLong(10)).isEqualTo(1);
    }
}
