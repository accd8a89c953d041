package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import nexus.core.Caller;

class CommandCallerTest {

    private static final Caller EDGE = Caller.of("sparkplug", Set.of("operator", "engineer"), "sparkplug");

    @Test
    void namesTheUserViaTheEdgeUserWithTheEdgeRoles() {
        Caller caller = CommandCaller.of(EDGE, "alice", "42");

        assertThat(caller.user()).isEqualTo("alice via sparkplug");
        assertThat(caller.roles()).containsExactly("engineer", "operator");
        assertThat(caller.source()).isEqualTo("sparkplug NCMD request 42");
    }

    @Test
    void anEmptyBlankOrControlOnlyUserIsTheEdgeUser() {
        assertThat(CommandCaller.of(EDGE, null, null).user()).isEqualTo("sparkplug");
        assertThat(CommandCaller.of(EDGE, "", null).user()).isEqualTo("sparkplug");
        assertThat(CommandCaller.of(EDGE, " \t\r\n\u0007 ", null).user()).isEqualTo("sparkplug");
        assertThat(CommandCaller.of(EDGE, null, null).source()).isEqualTo("sparkplug NCMD");
    }

    @Test
    void aLongUserIsCutSoTheWholeNameFits() {
        Caller caller = CommandCaller.of(EDGE, "b".repeat(10_000), null);

        assertThat(caller.user()).hasSize(Caller.MAX_USER).endsWith("b via sparkplug");
    }

    @Test
    void leadingBlanksDoNotCrowdOutTheName() {
        assertThat(CommandCaller.of(EDGE, " ".repeat(500) + "carol", null).user()).isEqualTo("carol via sparkplug");
    }

    @Test
    void anEdgeUserTooLongToNameAnotherStandsAlone() {
        Caller edge = Caller.of("e".repeat(Caller.MAX_USER - 2), Set.of("operator"), "sparkplug");

        assertThat(CommandCaller.of(edge, "alice", null).user()).isEqualTo(edge.user());
    }

    @Test
    void cuttingKeepsSurrogatePairsWhole() {
        String cut = CommandCaller.clean("a\uD83D\uDE00b", 2);

        assertThat(cut).isEqualTo("a");
        assertThat(CommandCaller.clean("\uD83D\uDE00", 2)).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void requestIdsAreCleanedAndCut() {
        assertThat(CommandCaller.requestId(null)).isNull();
        assertThat(CommandCaller.requestId("\n\t")).isNull();
        assertThat(CommandCaller.requestId(" a\u0000b\u007fc ")).isEqualTo("abc");
        assertThat(CommandCaller.requestId("7".repeat(500))).hasSize(CommandCaller.MAX_REQUEST_ID);
    }
}
