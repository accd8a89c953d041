package nexus.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaultsFollowTheSimulatedTagsOfALocalNode() {
        LoadOptions options = LoadOptions.parse();

        assertThat(options.url()).isEqualTo(URI.create("ws://127.0.0.1:8080/api/v1/stream"));
        assertThat(options.clients()).isEqualTo(10);
        assertThat(options.sql()).isEqualTo("SELECT tag_id FROM tag_properties WHERE key = 'simulate'"
                + " AND value IN ('sine', 'noise', 'ramp') LIMIT 1000");
        assertThat(options.samplingMs()).isEqualTo(20);
        assertThat(options.seconds()).isEqualTo(60);
        assertThat(options.warmup()).isEqualTo(10);
        assertThat(options.token()).isNull();
        assertThat(options.stalled()).isZero();
        assertThat(options.pid()).isZero();
        assertThat(options.heap()).isFalse();
    }

    @Test
    void readsEveryOption() {
        LoadOptions options = LoadOptions.parse("--url", "ws://10.0.0.5:18080/api/v1/stream", "--token", "nxt_abc",
                "--clients", "1000", "--tags", "500", "--sampling-ms", "10", "--seconds", "600", "--warmup", "0",
                "--stalled", "1", "--pid", "4242", "--heap", "--row");

        assertThat(options).isEqualTo(new LoadOptions(URI.create("ws://10.0.0.5:18080/api/v1/stream"), "nxt_abc", 1000,
                500, LoadOptions.simulatedTags(500), null, 10, 600, 0, 1, 4242, true, true));
        assertThat(LoadOptions.parse("--paths", "paths.txt").sql()).isNull();
        assertThat(LoadOptions.parse("--paths", "paths.txt").paths()).isEqualTo(Path.of("paths.txt"));
        assertThat(LoadOptions.parse("--sql", "SELECT id FROM tags LIMIT 3").sql()).isEqualTo("SELECT id FROM tags LIMIT 3");
    }

    @Test
    void saysWhatIsWrongWithAnArgument() {
        assertRefused("unknown option '--client'", "--client", "3");
        assertRefused("--clients needs a value", "--clients");
        assertRefused("--clients needs a value", "--clients", "--heap");
        assertRefused("--clients 'ten' is not a whole number of at least 1", "--clients", "ten");
        assertRefused("--seconds '0' is not a whole number of at least 1", "--seconds", "0");
        assertRefused("--url 'http://127.0.0.1:8080/api/v1/stream' is not a ws:// or wss:// address",
                "--url", "http://127.0.0.1:8080/api/v1/stream");
        assertRefused("--stalled 2 leaves no client that reads: give fewer than --clients (2)", "--clients", "2",
                "--stalled", "2");
        assertRefused("give --sql or --paths, not both", "--sql", "SELECT id FROM tags", "--paths", "p.txt");
        assertRefused("--heap needs the node's --pid", "--heap");
    }

    private static void assertRefused(String message, String... args) {
        assertThatThrownBy(() -> LoadOptions.parse(args)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
