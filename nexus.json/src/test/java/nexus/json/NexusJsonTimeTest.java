package nexus.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link NexusJson#iso}: the text of the last instant is kept per thread, never given for another one. */
class NexusJsonTimeTest {

    private static String reference(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    @Test
    void eachInstantHasItsOwnTextWhateverCameBefore() {
        long[] instants = {1_765_033_457_123_456_789L, 1_765_033_457_123_456_789L, 1_765_033_457_123_456_790L, 0L, -1L,
                1_765_033_457_000_000_000L, 1_765_033_457_123_456_789L};
        for (long nanos : instants) {
            assertThat(NexusJson.iso(nanos)).as("%d", nanos).isEqualTo(reference(nanos));
        }
    }

    @Test
    void threadsDoNotSeeEachOthersLastInstant() throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long base = 1_700_000_000_000_000_000L + t * 7_000_000_000L;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        long nanos = base + (i % 3) * 1_000_000L;
                        if (!NexusJson.iso(nanos).equals(reference(nanos))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> run : runs) {
                assertThat(run.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
