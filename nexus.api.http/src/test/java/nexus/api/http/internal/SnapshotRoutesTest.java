package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;
import nexus.query.SnapshotService;
import nexus.query.SnapshotSummary;

/** The snapshot routes translate: formats, options and answers, as the request's caller; the service decides. */
class SnapshotRoutesTest {

    private final List<Caller> callers = new ArrayList<>();
    private final List<SnapshotFormat> formats = new ArrayList<>();
    private final List<RestoreOptions> options = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();
    private volatile NexusException refusal;

    private final SnapshotService service = new SnapshotService() {
        @Override
        public SnapshotSummary export(Caller caller, SnapshotFormat format, OutputStream sink) throws IOException {
            callers.add(caller);
            formats.add(format);
            sink.write(("the " + format.wireName() + " file\n").getBytes(StandardCharsets.UTF_8));
            return new SnapshotSummary(3, 1, "sha256:00");
        }

        @Override
        public RestoreResult restore(Caller caller, InputStream snapshot, RestoreOptions given) throws IOException {
            callers.add(caller);
            bodies.add(new String(snapshot.readAllBytes(), StandardCharsets.UTF_8));
            options.add(given);
            if (refusal != null) {
                throw refusal;
            }
            return new RestoreResult(given.dryRun(), 3, "sha256:00", given.dryRun() ? "tok" : null, 2, 1,
                    List.of(new RestoreResult.Change("p/a", 1.5f, 2.5f, "bar", true)),
                    List.of(new RestoreResult.Skip("p/b", "the tag is not writable")), 7,
                    given.dryRun() ? List.of() : List.of("p/a"), List.of(), List.of());
        }
    };

    private final Requester operator = TestAccess.requester("operator");

    private static ApiConfig defaults() {
        return (ApiConfig) Proxy.newProxyInstance(ApiConfig.class.getClassLoader(), new Class<?>[] { ApiConfig.class },
                (proxy, method, args) -> method.getDefaultValue());
    }

    private FakeHttp.Response send(SnapshotService snapshots, String method, String uri, String body, String type)
            throws Exception {
        ApiServlet servlet = new ApiServlet(defaults(), new Metrics(), null, null, null, null).snapshots(snapshots);
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(FakeHttp.request(method, uri, body, type, operator), response.servlet);
        return response;
    }

    private static JsonNode problem(FakeHttp.Response response, int status, String code) throws Exception {
        assertThat(response.status).as(response.body.toString()).isEqualTo(status);
        JsonNode problem = response.json();
        assertThat(problem.path("code").asText()).isEqualTo(code);
        return problem;
    }

    @Test
    void theExportStreamsTheServicesFileInTheFormatAsked() throws Exception {
        FakeHttp.Response jsonl = send(service, "GET", "/snapshot", null, null);
        FakeHttp.Response csv = send(service, "GET", "/snapshot?format=csv", null, null);

        assertThat(jsonl.status).isEqualTo(200);
        assertThat(jsonl.headers.get("Content-Type")).isEqualTo("application/x-ndjson");
        assertThat(jsonl.body.toString(StandardCharsets.UTF_8)).isEqualTo("the jsonl file\n");
        assertThat(csv.headers.get("Content-Type")).isEqualTo("text/csv");
        assertThat(csv.headers.get("Content-Disposition")).contains("nexus-snapshot.csv");
        assertThat(formats).containsExactly(SnapshotFormat.JSONL, SnapshotFormat.CSV);
        assertThat(callers).containsOnly(operator.caller());
    }

    @Test
    void anUnknownFormatIsRefused() throws Exception {
        assertThat(problem(send(service, "GET", "/snapshot?format=xml", null, null), 400, "INVALID_ARGUMENT")
                .path("detail").asText()).contains("jsonl").contains("csv");
        assertThat(formats).isEmpty();
    }

    @Test
    void aDryRunAnswersTheDiffAndItsConfirmation() throws Exception {
        FakeHttp.Response response = send(service, "POST", "/snapshot/restore?dry_run=true", "{\"snapshot\":\"nexus\"}\n",
                "application/x-ndjson");

        assertThat(response.status).isEqualTo(200);
        JsonNode answer = response.json();
        assertThat(answer.path("dryRun").asBoolean()).isTrue();
        assertThat(answer.path("confirmation").asText()).isEqualTo("tok");
        assertThat(answer.path("skippedTags").asInt()).isEqualTo(7);
        assertThat(answer.path("changes").path(0).path("path").asText()).isEqualTo("p/a");
        assertThat(answer.path("changes").path(0).path("current").asDouble()).isEqualTo(1.5);
        assertThat(answer.path("changes").path(0).path("snapshot").asDouble()).isEqualTo(2.5);
        assertThat(answer.path("changes").path(0).path("unit").asText()).isEqualTo("bar");
        assertThat(answer.path("skipped").path(0).path("reason").asText()).isEqualTo("the tag is not writable");
        assertThat(answer.path("written")).isEmpty();
        assertThat(answer.path("complete").asBoolean()).isTrue();
        assertThat(options).containsExactly(RestoreOptions.dryRun(false));
        assertThat(bodies).containsExactly("{\"snapshot\":\"nexus\"}\n");
    }

    @Test
    void theRealRunPresentsTheConfirmationAndMapping() throws Exception {
        FakeHttp.Response response = send(service, "POST", "/snapshot/restore?confirmation=tok&map=path", "#nexus-snapshot\r\n",
                "text/csv");

        assertThat(response.json().path("written").path(0).asText()).isEqualTo("p/a");
        assertThat(options).containsExactly(RestoreOptions.confirmed("tok", true));
    }

    @Test
    void aRefusalOfTheServiceIsAProblem() throws Exception {
        refusal = new NexusException(ErrorCode.CONFLICT, "a tag the snapshot would write changed since the dry run");

        JsonNode problem = problem(send(service, "POST", "/snapshot/restore?confirmation=tok", "x", "application/x-ndjson"), 409,
                "CONFLICT");

        assertThat(problem.path("detail").asText()).contains("changed since the dry run");
    }

    @Test
    void aBodyThatIsNoSnapshotFileOrABadOptionIsRefusedBeforeTheService() throws Exception {
        problem(send(service, "POST", "/snapshot/restore?dry_run=true", "{}", "application/json"), 400, "INVALID_ARGUMENT");
        problem(send(service, "POST", "/snapshot/restore?dry_run=true", "a=b", "application/x-www-form-urlencoded"), 400,
                "INVALID_ARGUMENT");
        problem(send(service, "POST", "/snapshot/restore?map=id", "x", "text/csv"), 400, "INVALID_ARGUMENT");
        problem(send(service, "POST", "/snapshot/restore?dry_run=maybe", "x", "text/csv"), 400, "INVALID_ARGUMENT");
        assertThat(options).isEmpty();
    }

    @Test
    void withoutTheServiceTheRoutesAreUnavailable() throws Exception {
        problem(send(null, "GET", "/snapshot", null, null), 503, "BACKEND_UNAVAILABLE");
    }
}
