package nexus.api.http.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The forms a query's answer takes, chosen by the client: {@code ?format=} when given, else
 * {@code Accept}, else {@link #ROWS}. {@link #COLUMNS} is asked only by {@code ?format=columns}: it is
 * JSON too, so no media type tells it from rows.
 */
enum QueryFormat {

    /** One JSON object per row: the default, and the answer of every client that asks nothing. */
    ROWS("rows", "application/json"),
    /** One JSON array per column, live values in arrays of their own, each timestamp's text once. */
    COLUMNS("columns", "application/json"),
    /** The rows answer's shape in CBOR (RFC 8949). */
    CBOR("cbor", "application/cbor");

    private final String wireName;
    private final String mediaType;

    QueryFormat(String wireName, String mediaType) {
        this.wireName = wireName;
        this.mediaType = mediaType;
    }

    String wireName() {
        return wireName;
    }

    String mediaType() {
        return mediaType;
    }

    /**
     * @param format the {@code ?format=} parameter, or null
     * @param accept the {@code Accept} header, or null
     * @return the format asked, or null when the parameter names none or the header accepts none
     */
    static QueryFormat chosen(String format, String accept) {
        if (format != null) {
            return Arrays.stream(values()).filter(f -> f.wireName.equals(format.strip().toLowerCase(Locale.ROOT)))
                    .findFirst().orElse(null);
        }
        if (accept == null || accept.isBlank()) {
            return ROWS;
        }
        QueryFormat best = null;
        double bestQ = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            QueryFormat ranged = switch (parts[0].strip().toLowerCase(Locale.ROOT)) {
                case "application/json", "application/*", "*/*" -> ROWS;
                case "application/cbor" -> CBOR;
                default -> null;
            };
            double q = quality(parts);
            if (ranged != null && q > bestQ) { // the first of equal preference wins
                best = ranged;
                bestQ = q;
            }
        }
        return best;
    }

    /** @return a media range's {@code q} (1 when absent; 0, never chosen, when malformed) */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            if (param.length() > 2 && param.substring(0, 2).equalsIgnoreCase("q=")) {
                try {
                    double q = Double.parseDouble(param.substring(2).strip());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0; // a q the client could not mean: that range is not acceptable
                }
            }
        }
        return 1;
    }

    /**
     * @return the format a request asks, or null after answering 406 with the formats there are. Every
     *         answer of the route, a problem too, says {@code Vary: Accept}: caches keep the forms apart
     */
    static QueryFormat of(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.addHeader("Vary", "Accept");
        String format = request.getParameter("format");
        String accept = request.getHeader("Accept");
        QueryFormat chosen = chosen(format, accept);
        if (chosen == null) {
            String asked = format != null ? "?format=" + format : "Accept: " + accept;
            Map<String, Object> problem = Problems.document(406, "NOT_ACCEPTABLE", "Not acceptable", asked
                    + " names no format a query answers in: ask ?format=rows (application/json, the default),"
                    + " ?format=columns or ?format=cbor (Accept: application/cbor)");
            problem.put("formats", Arrays.stream(values()).map(QueryFormat::wireName).toList());
            Problems.write(response, Http.JSON, problem);
        }
        return chosen;
    }
}
