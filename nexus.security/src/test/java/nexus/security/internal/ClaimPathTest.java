package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ClaimPathTest {

    private final Map<String, Object> claims = Map.of("sub", "alice",
            "realm_access", Map.of("roles", List.of("operator")),
            "resource_access", Map.of("rma-nexus", Map.of("roles", List.of("engineer"))),
            "https://nexus.example.com/roles", List.of("viewer"));

    @Test
    void findsATopLevelClaim() {
        assertThat(ClaimPath.find(claims, "sub")).contains("alice");
    }

    @Test
    void followsADottedPathIntoObjects() {
        assertThat(ClaimPath.find(claims, "realm_access.roles")).contains(List.of("operator"));
        assertThat(ClaimPath.find(claims, "resource_access.rma-nexus.roles")).contains(List.of("engineer"));
    }

    @Test
    void aTopLevelClaimNamedByTheWholePathWins() {
        assertThat(ClaimPath.find(claims, "https://nexus.example.com/roles")).contains(List.of("viewer"));
    }

    @Test
    void findsNothingWhereThePathEndsOrPassesThroughAValue() {
        assertThat(ClaimPath.find(claims, "groups")).isEmpty();
        assertThat(ClaimPath.find(claims, "realm_access.groups")).isEmpty();
        assertThat(ClaimPath.find(claims, "sub.name")).isEmpty();
    }
}
