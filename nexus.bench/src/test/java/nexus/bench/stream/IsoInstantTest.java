package nexus.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class IsoInstantTest {

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Test
    void readsWhatInstantToStringWritesWithAnyNumberOfFractionDigits() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long seconds = random.nextLong(0, 4_102_444_800L); // 1970 to 2100
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            assertThat(IsoInstant.epochNanos(instant.toString())).as(instant.toString()).isEqualTo(nanos(instant));
        }
    }

    @Test
    void readsTheDocumentsExamplesAndLeapDays() {
        assertThat(IsoInstant.epochNanos("2026-12-06T15:04:17.120Z")).isEqualTo(nanos(Instant.parse("2026-12-06T15:04:17.120Z")));
        assertThat(IsoInstant.epochNanos("2024-02-29T23:59:59.5Z")).isEqualTo(nanos(Instant.parse("2024-02-29T23:59:59.5Z")));
        assertThat(IsoInstant.epochNanos("1970-01-01T00:00:00Z")).isZero();
    }

    @Test
    void leavesOtherFormsToInstantParse() {
        assertThat(IsoInstant.epochNanos("2026-12-06T16:04:17.120+01:00"))
                .isEqualTo(nanos(Instant.parse("2026-12-06T15:04:17.120Z")));
        assertThatThrownBy(() -> IsoInstant.epochNanos("2026-02-30T00:00:00Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> IsoInstant.epochNanos("2026-12-06T15:04:1x.120Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> IsoInstant.epochNanos("…")).isInstanceOf(DateTimeParseException.class);
    }
}
