package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmAction;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** Dispatch from the route table: every route reachable, alarm names unambiguous. */
class ApiRoutesTest {

    @Test
    void theRouterKnowsEveryApiRoute() {
        for (ApiRoutes.Route route : ApiRoutes.ALL) {
            if (route.handler() == null) {
                // served by their own servlets
                assertThat(route.pattern()).isIn("/health", "/metrics", "/api/v1/stream", "/api/v1/stream/sse");
                continue;
            }
            String sample = route.pattern().replace("{path}", "plant1/line2/tt101").replace("{name}", "plant1/line2/tt101/hi");
            assertThat(ApiRoutes.dispatch(route.method(), sample).route()).as(route.toString()).isEqualTo(route);
            assertThat(ApiRoutes.label(route.method(), sample)).isEqualTo(route.pattern());
        }
        assertThat(ApiRoutes.dispatch("GET", "/api/v1/nothing")).isNull();
        assertThat(ApiRoutes.label("GET", "/api/v1/nothing")).isEqualTo(ApiRoutes.UNKNOWN);
        assertThat(ApiRoutes.label("GET", "/api/v1/tags/")).as("no path").isEqualTo(ApiRoutes.UNKNOWN);
    }

    @Test
    void anAlarmNameIsEverythingBeforeTheLastColonOfAnAction() {
        ApiRoutes.Match ack = ApiRoutes.dispatch("POST", "/api/v1/alarms/site1/area2/tt101-hi:ack");
        assertThat(ack.route().pattern()).isEqualTo("/api/v1/alarms/{name}:ack");
        assertThat(ack.param()).isEqualTo("site1/area2/tt101-hi");

        ApiRoutes.Match colon = ApiRoutes.dispatch("POST", "/api/v1/alarms/site1/valve:open/hi:remove-from-service");
        assertThat(colon.route().pattern()).isEqualTo("/api/v1/alarms/{name}:remove-from-service");
        assertThat(colon.param()).isEqualTo("site1/valve:open/hi");

        ApiRoutes.Match named = ApiRoutes.dispatch("GET", "/api/v1/alarms/site1/x/ack");
        assertThat(named.route().pattern()).as("an alarm named …/ack").isEqualTo("/api/v1/alarms/{name}");
        assertThat(named.param()).isEqualTo("site1/x/ack");
        assertThat(ApiRoutes.dispatch("GET", "/api/v1/alarms/site1/x:ack").param()).as("GET takes the whole rest")
                .isEqualTo("site1/x:ack");
        assertThat(ApiRoutes.dispatch("POST", "/api/v1/alarms/:ack")).as("no name").isNull();
    }

    @Test
    void theAlarmSummaryComesBeforeAnAlarmNamedSummaryButItsActionsDoNot() {
        assertThat(ApiRoutes.dispatch("GET", "/api/v1/alarms/summary").route().operationId()).isEqualTo("alarmSummary");
        assertThat(ApiRoutes.dispatch("GET", "/api/v1/alarms/summary/hi").route().pattern()).isEqualTo("/api/v1/alarms/{name}");
        ApiRoutes.Match ack = ApiRoutes.dispatch("POST", "/api/v1/alarms/summary:ack");
        assertThat(ack.route().pattern()).isEqualTo("/api/v1/alarms/{name}:ack");
        assertThat(ack.param()).isEqualTo("summary");
        assertThat(ApiRoutes.label("GET", "/api/v1/alarms/summary")).isEqualTo("/api/v1/alarms/summary");
    }

    @Test
    void aPathServedForOtherMethodsNamesThem() {
        assertThat(ApiRoutes.allowed(ApiRoutes.matches("/api/v1/tags/plant1/tt101"))).isEqualTo("GET, PUT");
        assertThat(ApiRoutes.allowed(ApiRoutes.matches("/api/v1/tags"))).isEqualTo("GET, PUT");
        assertThat(ApiRoutes.allowed(ApiRoutes.matches("/api/v1/query"))).isEqualTo("GET, POST");
        assertThat(ApiRoutes.label("DELETE", "/api/v1/banks")).isEqualTo("/api/v1/banks");
        assertThat(ApiRoutes.label("POST", "/api/v1/alarms/ack")).as("an alarm named ack, not an action on nothing")
                .isEqualTo("/api/v1/alarms/{name}");
    }

    @Test
    void anUnknownActionIsNotFoundNamingTheActions() {
        NexusException unknown = AlarmRoutes.misdirected("/api/v1/alarms/site1/tt101-hi:acknowledge");

        assertThat(unknown.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(unknown.getMessage()).isEqualTo("no alarm action 'acknowledge': POST /api/v1/alarms/{name}:{action} takes "
                + AlarmAction.wireNames());
        assertThat(unknown.getMessage()).contains("ack, shelve, unshelve", "remove-from-service", "enable");
    }

    @Test
    void theOldFormSaysWhichFormToUse() {
        NexusException old = AlarmRoutes.misdirected("/api/v1/alarms/site1/area2/tt101-hi/ack");

        assertThat(old.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(old.getMessage()).isEqualTo("alarm actions are POST /api/v1/alarms/{name}:{action} now, not"
                + " …/{name}/{action}: send POST /api/v1/alarms/site1/area2/tt101-hi:ack");
        assertThat(AlarmRoutes.misdirected("/api/v1/alarms/site1/x/remove-from-service").getMessage())
                .endsWith("/api/v1/alarms/site1/x:remove-from-service");
    }

    @Test
    void aPostWithoutAnyActionIsNotMisdirected() {
        assertThat(AlarmRoutes.misdirected("/api/v1/alarms/site1/tt101-hi")).isNull();
        assertThat(AlarmRoutes.misdirected("/api/v1/alarms/ack")).as("an alarm named ack").isNull();
        assertThat(AlarmRoutes.misdirected("/api/v1/query")).isNull();
        assertThat(AlarmRoutes.misdirected("/api/v1/alarms/:ack").getMessage()).as("an action on no name")
                .isEqualTo("an alarm action needs the alarm's name before ':ack', e.g. POST /api/v1/alarms/site1/area2/tt101-hi:ack");
    }

    @Test
    void theStreamsAreTheirServletsAndTheTicketRouteStaysTheApis() {
        assertThat(ApiRoutes.dispatch("GET", "/api/v1/stream")).as("served by StreamServlet").isNull();
        assertThat(ApiRoutes.dispatch("GET", "/api/v1/stream/sse")).as("served by SseServlet").isNull();
        assertThat(ApiRoutes.dispatch("POST", "/api/v1/stream/tickets").route().operationId()).isEqualTo("streamTicket");
        assertThat(ApiRoutes.own(AccessFilter.STREAMS).permission()).isEqualTo(nexus.core.Permission.READ);
        assertThat(ApiRoutes.own(SseServlet.PATTERN).permission()).isEqualTo(nexus.core.Permission.READ);
    }
}
