package nexus.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link FindFilter} becomes ({@link FindService#explain}): both halves of the work.
 *
 * @param sql        the SELECT the registry half compiles to, with a {@code ?} for every value
 * @param params     the values of its placeholders, in order (String, Long); unmodifiable
 * @param readPlan   the RMA reads that SQL needs as the caller ({@link QueryService#explain})
 * @param liveFilter the live half in words, applied to each row after the read; {@code "none"} when
 *                   there is none
 * @since 2.4
 */
public record FindPlan(String sql, List<Object> params, ReadPlan readPlan, String liveFilter) {

    public FindPlan {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(liveFilter, "liveFilter");
        params = Collections.unmodifiableList(new ArrayList<>(params));
    }
}
