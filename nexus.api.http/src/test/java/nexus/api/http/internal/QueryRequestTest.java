package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.NexusException;

class QueryRequestTest {

    private static QueryRequest request(String body) {
        return QueryRequest.of(Http.object(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void paramsKeepTheirJsonTypesInOrder() {
        QueryRequest request = request("{\"sql\": \"SELECT ?, ?, ?, ?, ?, ?, ?\", \"limit\": 5,"
                + " \"params\": [\"site1/%\", 3, 2.5, true, null, 99999999999999999999, 1e400]}");

        assertThat(request.sql()).isEqualTo("SELECT ?, ?, ?, ?, ?, ?, ?");
        assertThat(request.limit()).isEqualTo(5);
        assertThat(request.params()).containsExactlyElementsOf(Arrays.asList("site1/%", 3L, new BigDecimal("2.5"), true, null,
                new BigInteger("99999999999999999999"), new BigDecimal("1E+400")));
    }

    @Test
    void aFieldTheQueryDoesNotTakeIsRefusedNamingIt() {
        assertThatThrownBy(() -> request("{\"sql\": \"SELECT 1\", \"limt\": 5}")).isInstanceOf(NexusException.class)
                .hasMessage("unknown field \"limt\": the body takes sql, params and limit");
    }

    @Test
    void containersArePassedOnForTheQueryServiceToRefuseByIndex() {
        assertThat(request("{\"sql\": \"SELECT ?, ?\", \"params\": [{\"a\": 1}, [1]]}").params())
                .containsExactly(Map.of(), List.of());
    }

    @Test
    void absentOrNullParamsAreNoneAndAnythingButAnArrayIsRefused() {
        assertThat(request("{\"sql\": \"SELECT 1\"}").params()).isEmpty();
        assertThat(request("{\"sql\": \"SELECT 1\", \"params\": null}").params()).isEmpty();
        assertThatThrownBy(() -> request("{\"sql\": \"SELECT ?\", \"params\": \"x\"}")).isInstanceOf(NexusException.class)
                .hasMessage("\"params\" must be an array with one value per ? in the SQL, e.g. [\"site1/%\", 3], not \"x\"");
        assertThatThrownBy(() -> request("{\"sql\": \"SELECT ?\", \"params\": {\"a\": 1}}")).isInstanceOf(NexusException.class)
                .hasMessageEndingWith("not an object");
    }

    @Test
    void anAbsentLimitIsNoLimitZeroAsksForNoRowsAndANegativeOneIsRefused() {
        assertThat(request("{\"sql\": \"SELECT 1\"}").limit()).isEqualTo(QueryRequest.NO_LIMIT);
        assertThat(request("{\"sql\": \"SELECT 1\", \"limit\": null}").limit()).isEqualTo(QueryRequest.NO_LIMIT);
        assertThat(request("{\"sql\": \"SELECT 1\", \"limit\": 0}").limit()).isZero();
        assertThatThrownBy(() -> request("{\"sql\": \"SELECT 1\", \"limit\": -1}")).isInstanceOf(NexusException.class)
                .hasMessage("limit must be a whole number of 0 or more, not -1");
        assertThat(request("{\"sql\": \"SELECT 1\", \"limit\": 99999999999999999999}").limit())
                .as("a number beyond any maximum is the largest one: the query service lowers it to its own")
                .isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> request("{\"sql\": \"SELECT 1\", \"limit\": 1.5}")).isInstanceOf(NexusException.class)
                .hasMessage("limit must be a whole number of 0 or more, not 1.5");
    }
}
