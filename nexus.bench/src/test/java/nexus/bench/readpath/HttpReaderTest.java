package nexus.bench.readpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;

class HttpReaderTest {

    @Test
    void postsTheSqlAsAJsonStringWithTheLimit() {
        assertThat(HttpReader.body("SELECT id FROM tags WHERE path LIKE 'a\\b\"%'", 500))
                .isEqualTo("{\"sql\": \"SELECT id FROM tags WHERE path LIKE 'a\\\\b\\\"%'\", \"limit\": 500}");
    }

    @Test
    void asksTheQueryRouteForTheFormatWithTheToken() {
        HttpRequest request = HttpReader.request(ReadOptions.parse("--http", "http://127.0.0.1:18411/", "--format", "cbor",
                "--token", "nxt_abc"));

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo(URI.create("http://127.0.0.1:18411/api/v1/query?format=cbor"));
        assertThat(request.headers().firstValue("Accept")).hasValue("application/cbor");
        assertThat(request.headers().firstValue("Authorization")).hasValue("Bearer nxt_abc");
    }

    @Test
    void getsASingleTagAsJson() {
        HttpRequest request = HttpReader.request(ReadOptions.parse("--get",
                "http://127.0.0.1:18411/api/v1/tags/site1/area1/line1/tank2/level"));

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.headers().firstValue("Accept")).hasValue("application/json");
        assertThat(request.headers().firstValue("Authorization")).isEmpty();
    }
}
