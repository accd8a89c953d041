package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.alarm.ActionRequest;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmSpec;
import nexus.alarm.AlarmState;
import nexus.core.AlarmCondition;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Severity;
import nexus.query.Quality;
import nexus.query.TagInfo;
import nexus.query.TagFolder;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagValue;
import nexus.query.TagWatch;
import nexus.query.TagWrite;
import nexus.query.WriteResult;

/** The servlet over fake services: it translates JSON to contract calls and refusals to problems, nothing more. */
class ApiServletTest {

    /** A tag service that keeps what it was asked and answers as told. */
    static final class Tags implements TagService {
        final List<Caller> callers = new ArrayList<>();
        final List<TagWrite> writes = new ArrayList<>();
        final List<String> paths = List.of("p/a", "p/b", "p/c");
        NexusException refusal;

        static TagReading reading(String path, Object value) {
            return new TagReading(new TagInfo(1, path, "FLOAT32", "process", 8, 0, 4, "%", null, true, 0.0, 100.0,
                    Map.of("k", "v")), new TagValue(value, Quality.GOOD, 1_000_000_000L));
        }

        @Override
        public TagReading get(Caller caller, String path) {
            if (!paths.contains(path)) {
                throw new NexusException(ErrorCode.TAG_NOT_FOUND, "no tag has the path " + path);
            }
            return reading(path, 1.5);
        }

        @Override
        public TagWrite check(Caller caller, TagWrite write) {
            throw new UnsupportedOperationException("not checked here");
        }

        @Override
        public TagFolder browse(Caller caller, String prefix, int limit) {
            throw new UnsupportedOperationException("not browsed here");
        }

        @Override
        public TagPage list(Caller caller, String prefix, String cursor, int limit) {
            int from = cursor == null ? 0 : Integer.parseInt(cursor);
            int to = Math.min(paths.size(), from + limit);
            return new TagPage(paths.subList(from, to).stream().map(p -> reading(p, 2.0)).toList(),
                    to < paths.size() ? String.valueOf(to) : null, 7);
        }

        @Override
        public List<TagReading> read(Caller caller, List<String> paths) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<TagReading> readIds(Caller caller, long[] ids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TagWatch watch(Caller caller, List<String> paths) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TagReading write(Caller caller, TagWrite write) {
            callers.add(caller);
            writes.add(write);
            if (refusal != null) {
                throw refusal;
            }
            return reading(write.path(), 37.5f);
        }

        @Override
        public List<WriteResult> write(Caller caller, List<TagWrite> many) {
            callers.add(caller);
            writes.addAll(many);
            return many.stream().map(w -> paths.contains(w.path()) ? new WriteResult(w.path(), reading(w.path(), 3f), null)
                    : new WriteResult(w.path(), null, new NexusException(ErrorCode.TAG_NOT_FOUND, "no tag has the path "
                            + w.path()))).toList();
        }
    }

    private final Tags tags = new Tags();
    private final List<Object[]> actions = new ArrayList<>();
    /** Records act(…) and refuses it: an Alarm needs a definition this test has no business building. */
    private final AlarmService alarms = (AlarmService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] { AlarmService.class }, (proxy, method, args) -> {
                if (method.getName().equals("act")) {
                    actions.add(args);
                    throw new NexusException(ErrorCode.CONFLICT, "recorded");
                }
                if (method.getName().equals("list")) {
                    return List.of(MIRRORED);
                }
                throw new UnsupportedOperationException(method.getName());
            });

    /** An alarm on a federation mirror's tag that the registry version served now does not have. */
    private static final Alarm MIRRORED = new Alarm(new AlarmSpec("sites/plant/nexus1/level/hi", AlarmCondition.HI, 90.0, 0,
            Severity.HIGH, true, false, 0, 0, 0, null), "sites/plant/nexus1/level", AlarmState.UNACK_ALARM, 0x83, null,
            null, null, null, null, null, null, false, null, null, 1, Set.of(), Quality.BAD_NOT_IN_REGISTRY,
            "registry version 7 has no tag sites/plant/nexus1/level");

    private static ApiConfig defaults() {
        return (ApiConfig) Proxy.newProxyInstance(ApiConfig.class.getClassLoader(), new Class<?>[] { ApiConfig.class },
                (proxy, method, args) -> method.getDefaultValue());
    }

    /** The identity requests act as unless a test says otherwise. */
    private final Requester operator = TestAccess.requester("operator");

    private FakeHttp.Response send(TagService tagService, Requester requester, String method, String uri, String json)
            throws Exception {
        ApiServlet servlet = new ApiServlet(defaults(), new Metrics(), null, tagService, null, alarms);
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(requester == null ? FakeHttp.request(method, uri, json)
                : FakeHttp.request(method, uri, json, requester), response.servlet);
        return response;
    }

    private FakeHttp.Response send(TagService tagService, String method, String uri, String json) throws Exception {
        return send(tagService, operator, method, uri, json);
    }

    private FakeHttp.Response send(String method, String uri, String json) throws Exception {
        return send(tags, method, uri, json);
    }

    private static JsonNode problem(FakeHttp.Response response, int status, String code) throws Exception {
        assertThat(response.status).as(response.body.toString()).isEqualTo(status);
        assertThat(response.headers.get("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("code").asText()).isEqualTo(code);
        return problem;
    }

    @Test
    void anAlarmListSaysWhyAnAlarmCannotBeEvaluated() throws Exception {
        FakeHttp.Response response = send("GET", "/alarms", null);

        assertThat(response.status).isEqualTo(200);
        JsonNode alarm = response.json().path("alarms").path(0);
        assertThat(alarm.path("state").asText()).isEqualTo("UNACK_ALARM");
        assertThat(alarm.path("quality").asText()).isEqualTo("BAD_NOT_IN_REGISTRY");
        assertThat(alarm.path("qualityDetail").asText()).isEqualTo("registry version 7 has no tag sites/plant/nexus1/level");
        assertThat(alarm.path("value").isNull()).isTrue();
    }

    @Test
    void aWriteGoesToTheTagServiceAsTheAuthenticatedCaller() throws Exception {
        FakeHttp.Response response = send("PUT", "/tags/p/a", "{\"value\": 37.5}");

        assertThat(response.status).isEqualTo(200);
        assertThat(response.json().path("value").asDouble()).isEqualTo(37.5);
        assertThat(response.json().path("properties").path("k").asText()).isEqualTo("v");
        assertThat(tags.callers).containsExactly(operator.caller());
        assertThat(tags.writes).containsExactly(new TagWrite("p/a", new BigDecimal("37.5")));
    }

    @Test
    void aBodyNamingAUserIsRefusedAndNothingIsWrittenOrActedOn() throws Exception {
        for (String[] request : List.of(new String[] { "PUT", "/tags/p/a", "{\"value\": 1, \"user\": \"alice\"}" },
                new String[] { "PUT", "/tags", "{\"writes\": [{\"path\": \"p/a\", \"value\": 1}], \"user\": \"alice\"}" },
                new String[] { "POST", "/alarms/site1/x:ack", "{\"user\": \"alice\", \"comment\": \"seen\"}" },
                new String[] { "PUT", "/tags/p/a", "{\"value\": 1, \"user\": null}" })) {
            assertThat(problem(send(request[0], request[1], request[2]), 400, "INVALID_ARGUMENT").path("detail").asText())
                    .as(request[1]).isEqualTo("the body names a \"user\": writes and alarm actions are taken as the"
                            + " authenticated identity (Authorization header) and audited as it; remove \"user\" from the body");
        }
        assertThat(tags.writes).isEmpty();
        assertThat(actions).isEmpty();
    }

    @Test
    void aRequestTheFilterDidNotAuthenticateIsRefused() throws Exception {
        FakeHttp.Response response = send(tags, null, "GET", "/tags/p/a", null);

        assertThat(problem(response, 401, "UNAUTHENTICATED").path("detail").asText())
                .isEqualTo("the request was not authenticated: send Authorization: Bearer <token>");
        assertThat(response.headers.get("WWW-Authenticate")).isEqualTo("Bearer realm=\"rma-nexus\"");
    }

    @Test
    void aReadRouteWithoutItsPermissionIsForbiddenNamingIt() throws Exception {
        FakeHttp.Response response = send(tags, TestAccess.requester("monitor"), "GET", "/tags/p/a", null);

        assertThat(problem(response, 403, "FORBIDDEN").path("detail").asText())
                .isEqualTo("GET /api/v1/tags/{path} needs the permission 'read', which the roles monitor do not grant");
    }

    /** A refused write is the tag service's to decide and audit: the servlet does not refuse in its stead. */
    @Test
    void aWriteWithoutThePermissionStillReachesTheTagServiceWhichDecides() throws Exception {
        tags.refusal = new NexusException(ErrorCode.FORBIDDEN, "writing tags needs the permission 'write', which the roles"
                + " viewer do not grant");
        Requester viewer = TestAccess.requester("viewer");

        assertThat(problem(send(tags, viewer, "PUT", "/tags/p/a", "{\"value\": 1}"), 403, "FORBIDDEN").path("detail")
                .asText()).isEqualTo(tags.refusal.getMessage());
        assertThat(tags.callers).containsExactly(viewer.caller());
    }

    @Test
    void theTagServicesRefusalIsAnsweredWithItsCodeAndMessageUnchanged() throws Exception {
        for (NexusException refusal : List.of(
                new NexusException(ErrorCode.TAG_NOT_FOUND, "no tag has the path p/x"),
                new NexusException(ErrorCode.INVALID_ARGUMENT,
                        "'p//a' is not a tag path: segments separated by single slashes, e.g. plant1/line2/tt101"),
                new NexusException(ErrorCode.NOT_WRITABLE, "tag p/a is not writable"),
                new NexusException(ErrorCode.INVALID_ARGUMENT, "cannot write p/a (FLOAT32): FLOAT32 takes a number, not the text \"high\""),
                new NexusException(ErrorCode.INVALID_ARGUMENT, "cannot write p/a: 1000 is outside its engineering range 0..100 %"),
                new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the audit journal cannot be written: nothing was written"))) {
            tags.refusal = refusal;
            JsonNode problem = problem(send("PUT", "/tags/p/a", "{\"value\": 1}"), Problems.status(refusal.code()),
                    refusal.code().name());
            assertThat(problem.path("detail").asText()).isEqualTo(refusal.getMessage());
        }
    }

    @Test
    void aBodyTheWriteDoesNotTakeIsRefusedBeforeTheTagService() throws Exception {
        assertThat(problem(send("PUT", "/tags/p/a", "{\"value\": 1, \"unit\": \"K\"}"), 400, "INVALID_ARGUMENT")
                .path("detail").asText()).isEqualTo("unknown field \"unit\": the body takes value");
        assertThat(problem(send("PUT", "/tags/p/a", "{}"), 400, "INVALID_ARGUMENT").path("detail").asText())
                .isEqualTo("the body needs \"value\": the value to write");
        assertThat(tags.writes).isEmpty();
    }

    @Test
    void theListPagesWithAnOpaqueCursor() throws Exception {
        JsonNode first = send("GET", "/tags?prefix=p/&limit=2", null).json();
        assertThat(first.path("tags")).hasSize(2);
        assertThat(first.path("tags").path(0).has("properties")).isFalse();
        assertThat(first.path("truncated").asBoolean()).isTrue();
        assertThat(first.path("cursor").asText()).isEqualTo("2");
        assertThat(first.path("registryVersion").asLong()).isEqualTo(7);

        JsonNode last = send("GET", "/tags?prefix=p/&limit=2&cursor=2", null).json();
        assertThat(last.path("tags")).hasSize(1);
        assertThat(last.path("tags").path(0).path("path").asText()).isEqualTo("p/c");
        assertThat(last.path("truncated").asBoolean()).isFalse();
        assertThat(last.path("cursor").isNull()).isTrue();

        JsonNode none = send("GET", "/tags?prefix=p/&limit=0", null).json();
        assertThat(none.path("tags")).isEmpty();
        assertThat(none.path("truncated").asBoolean()).as("tags matched").isTrue();

        JsonNode huge = send("GET", "/tags?prefix=p/&limit=99999999999", null).json();
        assertThat(huge.path("tags")).as("a limit beyond the maximum is the maximum").hasSize(3);
        assertThat(problem(send("GET", "/tags?prefix=p/&limit=-1", null), 400, "INVALID_ARGUMENT").path("detail").asText())
                .isEqualTo("limit must be a whole number of 0 or more, not '-1'");
    }

    @Test
    void aBatchAnswersOneResultPerWrite() throws Exception {
        FakeHttp.Response response = send("PUT", "/tags", "{\"writes\": [{\"path\": \"p/a\", \"value\": 1},"
                + " {\"path\": \"p/x\", \"value\": 2}]}");

        assertThat(response.status).isEqualTo(200);
        JsonNode results = response.json().path("results");
        assertThat(results.path(0).path("ok").asBoolean()).isTrue();
        assertThat(results.path(0).path("tag").path("path").asText()).isEqualTo("p/a");
        assertThat(results.path(1).path("ok").asBoolean()).isFalse();
        assertThat(results.path(1).path("error").path("code").asText()).isEqualTo("TAG_NOT_FOUND");
        assertThat(results.path(1).path("error").path("status").asInt()).isEqualTo(404);
        assertThat(results.path(1).path("error").path("detail").asText()).isEqualTo("no tag has the path p/x");
        assertThat(tags.callers).containsExactly(operator.caller());
        assertThat(tags.writes).containsExactly(new TagWrite("p/a", 1L), new TagWrite("p/x", 2L));
    }

    @Test
    void aMalformedBatchWritesNothing() throws Exception {
        assertThat(problem(send("PUT", "/tags", "{\"writes\": [{\"path\": \"p/a\", \"value\": 1}, {\"path\": \"p/b\"}]}"),
                400, "INVALID_ARGUMENT").path("detail").asText()).isEqualTo("writes[1] needs \"value\": the value to write");
        assertThat(problem(send("PUT", "/tags", "{\"writes\": [{\"path\": \"p/a\", \"value\": 1, \"unit\": \"K\"}]}"),
                400, "INVALID_ARGUMENT").path("detail").asText())
                .isEqualTo("unknown field \"unit\": writes[0] takes path and value");
        assertThat(problem(send("PUT", "/tags", "{\"writes\": [7]}"), 400, "INVALID_ARGUMENT").path("detail").asText())
                .isEqualTo("writes[0] must be an object {\"path\", \"value\"}, not 7");
        assertThat(problem(send("PUT", "/tags", "{\"value\": 1}"), 400, "INVALID_ARGUMENT").path("detail").asText())
                .isEqualTo("unknown field \"value\": the body takes writes");
        assertThat(problem(send("PUT", "/tags", "{}"), 400, "INVALID_ARGUMENT").path("detail").asText())
                .isEqualTo("the body needs \"writes\": a list of {\"path\", \"value\"}");
        assertThat(tags.writes).isEmpty();
    }

    @Test
    void anAlarmActionGoesToActWithTheCallerAndTheRequest() throws Exception {
        problem(send("POST", "/alarms/site1/area2/tt101-hi:shelve", "{\"minutes\": 30, \"comment\": \"sensor swap\"}"),
                409, "CONFLICT");
        problem(send("POST", "/alarms/site1/a:b:ack", "{}"), 409, "CONFLICT");

        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)[0]).isEqualTo("site1/area2/tt101-hi");
        assertThat(actions.get(0)[1]).isEqualTo(AlarmAction.SHELVE);
        assertThat(actions.get(0)[2]).isEqualTo(new ActionRequest(operator.caller(), "sensor swap", Duration.ofMinutes(30),
                false));
        assertThat(actions.get(1)[0]).isEqualTo("site1/a:b");
        assertThat(actions.get(1)[2]).isEqualTo(ActionRequest.of(operator.caller(), null));
    }

    @Test
    void anAlarmActionTakesTheRightFields() throws Exception {
        assertThat(problem(send("POST", "/alarms/site1/x:ack", "{\"why\": \"seen\"}"), 400, "INVALID_ARGUMENT")
                .path("detail").asText()).isEqualTo("unknown field \"why\": the body takes comment, minutes and oneShot");
        assertThat(problem(send("POST", "/alarms/site1/x:ack", "{\"minutes\": 3}"), 400, "INVALID_ARGUMENT")
                .path("detail").asText()).isEqualTo("minutes and oneShot are for shelve, not ack");
        assertThat(problem(send("POST", "/alarms/site1/x:shelve", "{\"minutes\": 3, \"oneShot\": true}"),
                400, "INVALID_ARGUMENT").path("detail").asText()).isEqualTo("shelve takes minutes or oneShot, not both");
        assertThat(problem(send("POST", "/alarms/site1/x:shelve", "{}"), 400, "INVALID_ARGUMENT")
                .path("detail").asText()).isEqualTo("shelve needs \"minutes\" (how long) or \"oneShot\": true");
        assertThat(problem(send("POST", "/alarms/site1/x:shelve", "{\"minutes\": \"5\"}"), 400,
                "INVALID_ARGUMENT").path("detail").asText()).isEqualTo("minutes must be a number, not \"5\"");
        assertThat(actions).isEmpty();
    }

    /**
     * Whether a shelve is long enough or too long is the alarm service's rule (one message for every
     * front-end, and the refusal audited): the servlet hands any number of minutes on as it is.
     */
    @Test
    void aShelveDurationIsJudgedByTheAlarmServiceNotTheServlet() throws Exception {
        problem(send("POST", "/alarms/site1/x:shelve", "{\"minutes\": 0}"), 409, "CONFLICT");
        problem(send("POST", "/alarms/site1/x:shelve", "{\"minutes\": -5}"), 409, "CONFLICT");
        problem(send("POST", "/alarms/site1/x:shelve", "{\"minutes\": 1e20}"), 409, "CONFLICT");

        assertThat(actions).extracting(a -> ((ActionRequest) a[2]).shelveFor()).containsExactly(Duration.ZERO,
                Duration.ofMinutes(-5), Duration.ofMillis(Long.MAX_VALUE));
    }

    @Test
    void anUnknownActionAndTheOldFormAreNotFoundSayingWhatToSend() throws Exception {
        assertThat(problem(send("POST", "/alarms/site1/x:acknowledge", "{}"), 404, "NOT_FOUND")
                .path("detail").asText()).startsWith("no alarm action 'acknowledge'").endsWith(AlarmAction.wireNames());
        assertThat(problem(send("POST", "/alarms/site1/x/ack", "{}"), 404, "NOT_FOUND")
                .path("detail").asText()).endsWith("send POST /api/v1/alarms/site1/x:ack");
        FakeHttp.Response notAllowed = send("POST", "/alarms/site1/x", "{}");
        problem(notAllowed, 405, "METHOD_NOT_ALLOWED");
        assertThat(notAllowed.headers.get("Allow")).isEqualTo("GET");
        assertThat(actions).isEmpty();
    }

    @Test
    void withoutATagServiceTagsAreUnavailable() throws Exception {
        assertThat(problem(send(null, "GET", "/tags/p/a", null), 503, "BACKEND_UNAVAILABLE").path("detail").asText())
                .isEqualTo("the tag service is not running; see GET /health");
        problem(send("GET", "/tags/p/nothing", null), 404, "TAG_NOT_FOUND");
        problem(send("GET", "/nothing", null), 404, "NOT_FOUND");
    }
}
