package nexus.query;

import java.util.List;
import java.util.Objects;

/**
 * The result of a SELECT: the columns as the query named them, the rows, and what it cost.
 *
 * @param columns         the column labels
 * @param rows            the rows; unmodifiable
 * @param truncated       whether more rows matched than the limit allowed
 * @param registryVersion the registry version the query ran against
 * @param stats           what the query cost
 */
public record QueryResult(List<String> columns, List<Row> rows, boolean truncated, long registryVersion, QueryStats stats) {

    /**
     * One row.
     *
     * @param cells the values of the columns, in order (Long, Double, String, byte[] or null)
     * @param tag   the tag value when the row carries a tag id, else {@code null}
     */
    public record Row(List<Object> cells, TagValue tag) {
        public Row {
            Objects.requireNonNull(cells, "cells");
        }
    }

    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
