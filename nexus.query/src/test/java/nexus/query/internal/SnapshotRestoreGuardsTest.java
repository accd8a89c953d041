package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;

/**
 * What guards a restore beyond its checks of the file: a node runs one at a time (each holds its file
 * while it checks it), and a confirmation is the dry run's caller's.
 */
class SnapshotRestoreGuardsTest {

    @TempDir
    Path dir;

    private TagPlant plant;
    private Snapshots snapshots;

    @BeforeEach
    void plant() {
        plant = new TagPlant(dir);
        snapshots = new Snapshots(plant.engine, plant, plant.tags);
        plant.plc("plant/tank/level", 12.5);
    }

    @AfterEach
    void close() {
        plant.close();
    }

    /** A body that blocks on its first read until released, then gives the file. */
    private static final class Held extends InputStream {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final InputStream file;

        Held(String file) {
            this.file = new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            reading.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released the body");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return file.read(buffer, offset, length);
        }
    }

    /** A body that counts what is read from it. */
    private static final class Counted extends InputStream {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public int read() {
            reads.incrementAndGet();
            return -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            reads.incrementAndGet();
            return -1;
        }
    }

    @Test
    void aSecondRestoreWhileOneReadsIsRefusedOverloadedAndReadsNothing() throws Exception {
        String file = SnapshotsTest.export(snapshots, SnapshotsTest.ROOT, SnapshotFormat.JSONL);
        Held first = new Held(file);
        CompletableFuture<RestoreResult> running = CompletableFuture.supplyAsync(() -> {
            try {
                return snapshots.restore(SnapshotsTest.ROOT, first, RestoreOptions.dryRun(false));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(first.reading.await(30, TimeUnit.SECONDS)).as("the first restore reads its body").isTrue();

        Counted second = new Counted();
        NexusException refused = catchThrowableOfType(
                () -> snapshots.restore(SnapshotsTest.ROOT, second, RestoreOptions.dryRun(false)), NexusException.class);

        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refused.retryAfter()).isPresent();
        assertThat(refused).hasMessageContaining("another restore is running");
        assertThat(second.reads).hasValue(0);

        first.release.countDown();
        assertThat(running.get(30, TimeUnit.SECONDS).dryRun()).isTrue();
        assertThat(SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, file, RestoreOptions.dryRun(false)).dryRun())
                .as("the permit is given back when a restore ends").isTrue();
    }

    @Test
    void aRefusedRestoreGivesThePermitBack() throws IOException {
        NexusException e = catchThrowableOfType(() -> SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, "",
                RestoreOptions.dryRun(false)), NexusException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);

        String file = SnapshotsTest.export(snapshots, SnapshotsTest.ROOT, SnapshotFormat.JSONL);
        assertThat(SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, file, RestoreOptions.dryRun(false)).dryRun()).isTrue();
    }

    @Test
    void aConfirmationPresentedByAnotherUserIsRefusedAsTheirs() throws IOException {
        String file = SnapshotsTest.export(snapshots, SnapshotsTest.ROOT, SnapshotFormat.JSONL);
        plant.plc("plant/tank/level", 80.0);
        String confirmation = SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, file, RestoreOptions.dryRun(false))
                .confirmation();
        Caller ann = Caller.of("ann", Set.of(Access.ADMIN), "test");

        NexusException refused = catchThrowableOfType(() -> SnapshotsTest.restore(snapshots, ann, file,
                RestoreOptions.confirmed(confirmation, false)), NexusException.class);

        assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(refused).hasMessageContaining("belongs to another user").hasMessageContaining("nothing was written");
        assertThat(plant.value("plant/tank/level")).isEqualTo(80.0f);
        assertThat(SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, file, RestoreOptions.confirmed(confirmation, false))
                .written()).as("its own caller may present it").contains("plant/tank/level");
    }
}
