package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class TokenFileTest {

    private static final String HASH = "0123456789abcdef".repeat(4);

    private static StoredToken token(String id, String name, String... roles) {
        return new StoredToken(id, name, new TreeSet<>(List.of(roles)), HASH, Instant.parse("2026-12-06T12:00:00Z"), "alice");
    }

    @Test
    void readsWhatItWrites() throws Exception {
        List<StoredToken> tokens = List.of(token("AAAAAAAAAAAA", "scada", "operator", "viewer"), token("BBBBBBBBBBBB", "grafana", "viewer"));

        assertThat(TokenFile.parse(TokenFile.format(tokens))).isEqualTo(tokens);
        assertThat(TokenFile.parse(TokenFile.format(List.of()))).isEmpty();
    }

    @Test
    void writesOneTokenPerLineSoThatDeletingALineRevokesIt() {
        String text = TokenFile.format(List.of(token("AAAAAAAAAAAA", "scada", "operator"), token("BBBBBBBBBBBB", "grafana", "viewer")));

        assertThat(text.lines().filter(line -> line.contains("\"sha256\""))).hasSize(2);
        assertThat(text.lines().filter(line -> line.contains("\"name\":\"scada\"")).findFirst().orElseThrow())
                .contains("\"roles\":[\"operator\"]", "\"createdBy\":\"alice\"");
    }

    @Test
    void saysWhereTheJsonIsBrokenWithoutQuotingIt() {
        assertThatThrownBy(() -> TokenFile.parse("{\n  \"format\": 1,\n  \"tokens\": [ nexus_secretlooking ]\n}"))
                .isInstanceOf(TokenFile.DamagedException.class)
                .hasMessageStartingWith("line 3, column")
                .hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("nexus_secretlooking");
    }

    @Test
    void refusesAnEmptyFile() {
        assertThatThrownBy(() -> TokenFile.parse("  \n")).hasMessageContaining("empty");
    }

    @Test
    void refusesAnotherFormat() {
        assertThatThrownBy(() -> TokenFile.parse("{\"format\":2,\"tokens\":[]}")).hasMessageContaining("\"format\" must be 1");
    }

    @Test
    void namesTheTokenAndTheFieldThatIsWrong() {
        String noRoles = "{\"format\":1,\"tokens\":[{\"id\":\"AAAAAAAAAAAA\",\"name\":\"scada\",\"roles\":[],\"sha256\":\"" + HASH
                + "\",\"created\":\"2026-12-06T12:00:00Z\",\"createdBy\":\"alice\"}]}";
        assertThatThrownBy(() -> TokenFile.parse(noRoles)).hasMessage("token 1 ('scada'): \"roles\" is missing, not a list or empty");

        String shortHash = noRoles.replace("\"roles\":[]", "\"roles\":[\"viewer\"]").replace(HASH, "abc");
        assertThatThrownBy(() -> TokenFile.parse(shortHash)).hasMessageContaining("\"sha256\" is not 64 lower-case hex digits");

        String badTime = noRoles.replace("\"roles\":[]", "\"roles\":[\"viewer\"]").replace("2026-12-06T12:00:00Z", "yesterday");
        assertThatThrownBy(() -> TokenFile.parse(badTime)).hasMessageContaining("\"created\" is not an ISO-8601 instant");
    }

    @Test
    void refusesTwoTokensOfOneName() {
        String text = TokenFile.format(List.of(token("AAAAAAAAAAAA", "scada", "viewer"), token("BBBBBBBBBBBB", "scada", "viewer")));

        assertThatThrownBy(() -> TokenFile.parse(text)).hasMessageContaining("the name 'scada' is taken by an earlier token");
    }

    @Test
    void aKeyGivenTwiceIsDamageNotItsLastValue() {
        // Plain JSON readers take the last "tokens": the store would be empty and the node open.
        String text = TokenFile.format(List.of(token("AAAAAAAAAAAA", "scada", "viewer"))).stripTrailing();
        String twice = text.substring(0, text.length() - 1) + ",\n  \"tokens\": []\n}\n";

        assertThatThrownBy(() -> TokenFile.parse(twice)).isInstanceOf(TokenFile.DamagedException.class)
                .hasMessageEndingWith("a key is given twice in one object");
        String rolesTwice = text.replace("\"roles\":[\"viewer\"]", "\"roles\":[\"viewer\"],\"roles\":[\"admin\"]");
        assertThatThrownBy(() -> TokenFile.parse(rolesTwice)).hasMessageEndingWith("a key is given twice in one object");
    }

    @Test
    void textAfterTheObjectIsDamage() {
        String text = TokenFile.format(List.of(token("AAAAAAAAAAAA", "scada", "viewer"))) + "{\"format\":1,\"tokens\":[]}\n";

        assertThatThrownBy(() -> TokenFile.parse(text)).isInstanceOf(TokenFile.DamagedException.class)
                .hasMessageEndingWith("text follows the end of the object");
    }
}
