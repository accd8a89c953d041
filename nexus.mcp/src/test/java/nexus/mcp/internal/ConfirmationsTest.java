package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

class ConfirmationsTest {

    private final Confirmations confirmations = new Confirmations(Duration.ofMinutes(2));

    @Test
    void anIdGivesBackWhatTheDryRunSawOnce() {
        String id = confirmations.issue("alice", "write_tag", "a/b = 1", 0.5, 0);
        assertThat(confirmations.redeem(id, "alice", "write_tag", "a/b = 1", 1_000).seen()).isEqualTo(0.5);
        assertThatThrownBy(() -> confirmations.redeem(id, "alice", "write_tag", "a/b = 1", 1_000))
                .isInstanceOfSatisfying(NexusException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage()).contains("unknown or was used already");
                });
    }

    @Test
    void anIdExpires() {
        String id = confirmations.issue("alice", "write_tag", "a/b = 1", 0.5, 0);
        assertThatThrownBy(() -> confirmations.redeem(id, "alice", "write_tag", "a/b = 1", 120_000))
                .hasMessageContaining("expired");
    }

    @Test
    void anIdIsBoundToItsIdentityToolAndArguments() {
        String one = confirmations.issue("alice", "write_tag", "a/b = 1", 0.5, 0);
        assertThatThrownBy(() -> confirmations.redeem(one, "mallory", "write_tag", "a/b = 1", 0))
                .as("another identity's id is answered like an unknown one").hasMessageContaining("is unknown");
        assertThatThrownBy(() -> confirmations.redeem(one, "alice", "acknowledge_alarm", "a/b = 1", 0))
                .hasMessageContaining("is unknown");
        assertThat(confirmations.redeem(one, "alice", "write_tag", "a/b = 1", 0).seen())
                .as("and stays its owner's: presenting it elsewhere did not cancel it").isEqualTo(0.5);
        String two = confirmations.issue("alice", "write_tag", "a/b = 1", 0.5, 0);
        assertThatThrownBy(() -> confirmations.redeem(two, "alice", "write_tag", "a/b = 2", 0)).hasMessageContaining("other arguments");
        assertThat(confirmations.size()).as("its owner's refused redemption uses the id up").isZero();
    }

    @Test
    void idsAreUnguessablyDifferent() {
        assertThat(confirmations.issue("a", "t", "x", 1, 0)).isNotEqualTo(confirmations.issue("a", "t", "x", 1, 0)).hasSize(26);
    }

    @Test
    void pendingIdsAreBoundedAndExpiredOnesMakeRoom() {
        for (int i = 0; i < Confirmations.MAX; i++) {
            confirmations.issue("user" + i / Confirmations.PER_USER, "t", "x" + i, 1, 0);
        }
        assertThatThrownBy(() -> confirmations.issue("another", "t", "y", 1, 1)).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED));
        confirmations.issue("another", "t", "y", 1, 120_000);
        assertThat(confirmations.size()).isEqualTo(1);
    }

    @Test
    void anIdentityHoldsAtMostItsShareAndItsOldestGoesFirst() {
        String first = confirmations.issue("a", "t", "x0", 1, 0);
        String second = confirmations.issue("a", "t", "x1", 1, 1);
        for (int i = 2; i <= Confirmations.PER_USER; i++) {
            confirmations.issue("a", "t", "x" + i, 1, i);
        }

        assertThat(confirmations.size()).isEqualTo(Confirmations.PER_USER);
        assertThatThrownBy(() -> confirmations.redeem(first, "a", "t", "x0", 10)).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(confirmations.redeem(second, "a", "t", "x1", 10).arguments()).isEqualTo("x1");
    }
}
