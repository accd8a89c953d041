package nexus.bench.readpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

class ReadOptionsTest {

    @Test
    void defaultsReadTenThousandValuesOnceAClientForTenSecondsAfterFive() {
        ReadOptions options = ReadOptions.parse("--opcua", "opc.tcp://127.0.0.1:4840/milo");

        assertThat(options).isEqualTo(new ReadOptions(ReadOptions.Kind.OPCUA, URI.create("opc.tcp://127.0.0.1:4840/milo"),
                10_000, null, "rows", null, 1, 5, 10));
    }

    @Test
    void aQueryDefaultsToTheIdsOfTenThousandTags() {
        ReadOptions options = ReadOptions.parse("--http", "http://127.0.0.1:18411");

        assertThat(options.kind()).isEqualTo(ReadOptions.Kind.HTTP_QUERY);
        assertThat(options.sql()).isEqualTo("SELECT id FROM tags LIMIT 10000");
        assertThat(options.tags()).isEqualTo(10_000);
    }

    @Test
    void readsEveryOption() {
        ReadOptions options = ReadOptions.parse("--http", "http://10.0.0.5:8080", "--sql",
                "SELECT id, path, unit FROM tags LIMIT 500", "--tags", "500", "--format", "cbor", "--token", "nxt_abc",
                "--clients", "16", "--warmup", "0", "--seconds", "30");

        assertThat(options).isEqualTo(new ReadOptions(ReadOptions.Kind.HTTP_QUERY, URI.create("http://10.0.0.5:8080"),
                500, "SELECT id, path, unit FROM tags LIMIT 500", "cbor", "nxt_abc", 16, 0, 30));
    }

    @Test
    void aSingleTagReadsOneValue() {
        ReadOptions options = ReadOptions.parse("--get", "http://127.0.0.1:8080/api/v1/tags/site1/area1/line1/tank2/level",
                "--token", "nxt_abc");

        assertThat(options.kind()).isEqualTo(ReadOptions.Kind.GET);
        assertThat(options.tags()).isEqualTo(1);
        assertThat(options.sql()).isNull();
        assertThat(options.token()).isEqualTo("nxt_abc");
    }

    @Test
    void saysWhatIsWrongWithAnArgument() {
        assertRefused("name the server: --opcua URL, --http URL or --get URL");
        assertRefused("name the server: --opcua URL, --http URL or --get URL", "--tags", "10");
        assertRefused("give one of --opcua, --http or --get, not two", "--opcua", "opc.tcp://h:1/x", "--http", "http://h");
        assertRefused("unknown option '--client'", "--http", "http://h", "--client", "3");
        assertRefused("--clients needs a value", "--http", "http://h", "--clients");
        assertRefused("--clients 'many' is not a whole number of at least 1", "--http", "http://h", "--clients", "many");
        assertRefused("--seconds '0' is not a whole number of at least 1", "--http", "http://h", "--seconds", "0");
        assertRefused("--opcua 'http://h:4840' is not a opc.tcp:// address", "--opcua", "http://h:4840");
        assertRefused("--http 'opc.tcp://h:4840' is not a http:// address", "--http", "opc.tcp://h:4840");
        assertRefused("--format 'csv' is not rows, columns or cbor", "--http", "http://h", "--format", "csv");
        assertRefused("--sql and --format are for --http (a query): leave them out with --opcua", "--opcua",
                "opc.tcp://h:1/x", "--sql", "SELECT 1");
        assertRefused("--sql and --format are for --http (a query): leave them out with --get", "--get",
                "http://h/api/v1/tags/a", "--format", "cbor");
        assertRefused("--token is for --http and --get: the OPC UA peer is anonymous", "--opcua", "opc.tcp://h:1/x",
                "--token", "t");
    }

    private static void assertRefused(String message, String... args) {
        assertThatThrownBy(() -> ReadOptions.parse(args)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
