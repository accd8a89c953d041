package nexus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MainThreadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService launcher = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopLauncher() {
        launcher.shutdownNow();
    }

    @Test
    void answersExitStatus0WhenTheFrameworkStops() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        MainThread main = new MainThread(started::countDown);
        Future<Integer> status = launcher.submit(main);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(main.release(MainThread.STOPPED, WAIT)).as("the main thread has returned when release returns").isTrue();

        assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void asksTheLauncherToWaitForTheNextMainThreadWhenOnlyThisBundleStops() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        MainThread main = new MainThread(started::countDown);
        Future<Integer> status = launcher.submit(main);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        main.release(MainThread.RELISTEN, WAIT);

        assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(198);
    }

    @Test
    void blocksTheLauncherUntilReleasedAndRunsItsStartActionOnceOnTheLaunchersThread() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        MainThread main = new MainThread(() -> {
            starts.incrementAndGet();
            started.countDown();
        });
        Future<Integer> status = launcher.submit(main);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(main.running()).isTrue();
        assertThat(status.isDone()).as("still blocking the launcher's main thread").isFalse();
        main.release(MainThread.STOPPED, WAIT);
        assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(starts).hasValue(1);
    }

    @Test
    void releasingAMainThreadThatNobodyRunsDoesNotWait() {
        MainThread main = new MainThread(() -> {
        });

        assertThat(main.running()).isFalse();
        assertThat(main.release(MainThread.STOPPED, Duration.ofMinutes(10))).isTrue();
    }
}
