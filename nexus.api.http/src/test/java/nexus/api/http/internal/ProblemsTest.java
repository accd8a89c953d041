package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;

class ProblemsTest {

    @Test
    void overloadedIsTooManyRequests() {
        assertThat(Problems.status(ErrorCode.OVERLOADED)).isEqualTo(429);
        assertThat(Problems.document(ErrorCode.OVERLOADED, "busy")).containsEntry("title", "Too many requests")
                .containsEntry("code", "OVERLOADED").containsEntry("type", "urn:rma-nexus:problem:overloaded");
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(Problems.retryAfterSeconds(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(Problems.retryAfterSeconds(Duration.ofMillis(1_200))).isEqualTo(2);
        assertThat(Problems.retryAfterSeconds(Duration.ofSeconds(5))).isEqualTo(5);
    }

    @Test
    void everyCodeHasAStatus() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(Problems.status(code)).as(code.name()).isBetween(400, 599);
        }
    }
}
