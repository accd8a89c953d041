package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;

class AgentPolicyTest {

    @Test
    void byDefaultAgentsChangeNothing() {
        AgentPolicy policy = AgentPolicy.of(new String[] {""}, new String[0]);
        assertThat(policy.refuseWrite("site1/a/b")).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e.getMessage()).contains("write.tags").contains("empty");
        });
        assertThat(policy.refuseAcknowledge("site1/a/b_hi", "site1/a/b")).isPresent();
    }

    @Test
    void globsOptInTagsAndTheTagsOfAlarms() {
        AgentPolicy policy = AgentPolicy.of(new String[] {"site1/*/line3/**", " site2/tank?/sp "}, new String[] {"site1/**"});
        assertThat(policy.refuseWrite("site1/area2/line3/tank1/sp")).isEmpty();
        assertThat(policy.refuseWrite("site2/tank7/sp")).isEmpty();
        assertThat(policy.refuseWrite("site1/area2/line4/tank1/sp")).isPresent();
        assertThat(policy.refuseWrite("site2/tank10/sp")).isPresent();
        assertThat(policy.refuseAcknowledge("x", "site1/a")).isEmpty();
        assertThat(policy.refuseAcknowledge("x", "site2/a")).isPresent();
    }

    @Test
    void aBadGlobNamesTheSetting() {
        assertThatThrownBy(() -> AgentPolicy.of(new String[] {"site1//x"}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("write.tags: ");
        assertThatThrownBy(() -> AgentPolicy.of(null, new String[] {"a/b**"}))
                .hasMessageStartingWith("acknowledge.alarms: ");
    }
}
