package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryFormatTest {

    @Test
    void aClientThatAsksNothingGetsRows() {
        assertThat(QueryFormat.chosen(null, null)).isEqualTo(QueryFormat.ROWS);
        assertThat(QueryFormat.chosen(null, " ")).isEqualTo(QueryFormat.ROWS);
        assertThat(QueryFormat.chosen(null, "*/*")).isEqualTo(QueryFormat.ROWS);
        assertThat(QueryFormat.chosen(null, "text/html, application/xhtml+xml, */*;q=0.8")).isEqualTo(QueryFormat.ROWS);
    }

    @Test
    void theFormatParameterWinsOverAccept() {
        assertThat(QueryFormat.chosen("columns", "application/cbor")).isEqualTo(QueryFormat.COLUMNS);
        assertThat(QueryFormat.chosen("CBOR", null)).isEqualTo(QueryFormat.CBOR);
        assertThat(QueryFormat.chosen("rows", "application/cbor")).isEqualTo(QueryFormat.ROWS);
    }

    @Test
    void acceptChoosesByPreference() {
        assertThat(QueryFormat.chosen(null, "application/cbor")).isEqualTo(QueryFormat.CBOR);
        assertThat(QueryFormat.chosen(null, "Application/CBOR; q=0.9, application/json; q=0.5")).isEqualTo(QueryFormat.CBOR);
        assertThat(QueryFormat.chosen(null, "application/cbor;q=0.4, application/json")).isEqualTo(QueryFormat.ROWS);
        assertThat(QueryFormat.chosen(null, "application/json, application/cbor")).isEqualTo(QueryFormat.ROWS);
    }

    @Test
    void columnsIsNeverChosenByAccept() {
        assertThat(QueryFormat.chosen(null, "application/json;format=columns")).isEqualTo(QueryFormat.ROWS);
    }

    @Test
    void anUnknownFormatOrAnAcceptOfNothingItGivesIsRefused() {
        assertThat(QueryFormat.chosen("csv", null)).isNull();
        assertThat(QueryFormat.chosen("", null)).isNull();
        assertThat(QueryFormat.chosen(null, "text/csv")).isNull();
        assertThat(QueryFormat.chosen(null, "application/cbor;q=0, text/csv")).isNull();
        assertThat(QueryFormat.chosen(null, "application/json;q=abc")).isNull();
    }
}
