package nexus.api.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * The JSON shape of {@code GET /api/v1/banks}:
 * {@code {"backend": "heap", "banks": [{"id", "name", "size", "sequence", "lastWrite"}]}}, with
 * {@code lastWrite} an ISO-8601 instant or null when the bank was never written. A caller that does
 * not see the whole namespace gets only the banks that hold tags it sees, as
 * {@code {"id", "name"}}: a bank's size, sequence and last write reveal activity outside its part.
 * Which banks those are is the query service's answer to {@value #VISIBLE} as that caller (the view
 * is scoped there, like every view), so the rule lives in one place; one row, so that no row cap of
 * the caller's role shortens the list.
 */
final class BankDocument {

    /** The banks a scoped caller sees: the query service scopes the view to the caller's tags. */
    static final String VISIBLE = "SELECT group_concat(id) FROM banks";

    private BankDocument() {
    }

    static void serve(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        Map<String, Object> banks;
        if (exchange.access().seesAll()) {
            banks = of(api.backend());
        } else {
            QueryResult visible = api.queries().select(exchange.caller(), VISIBLE,
                    new QueryOptions(QueryOptions.DEFAULT_LIMIT, api.config().query_timeout()));
            Set<Integer> ids = new HashSet<>();
            Object list = visible.rows().isEmpty() ? null : visible.rows().get(0).cells().get(0);
            if (list != null) {
                for (String id : list.toString().split(",")) {
                    ids.add(Integer.parseInt(id.strip()));
                }
            }
            banks = of(api.backend(), ids);
        }
        Map<String, Object> document = banks;
        Http.json(exchange.request(), exchange.response(), 200, json -> json.writeObject(document));
    }

    /** @return the document for a caller that sees only these banks: their ids and names */
    static Map<String, Object> of(RmaBackend backend, Set<Integer> visible) {
        List<Map<String, Object>> banks = new ArrayList<>();
        for (Bank bank : backend.banks()) {
            if (visible.contains(bank.id())) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", bank.id());
                entry.put("name", bank.name());
                banks.add(entry);
            }
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("backend", backend.name());
        document.put("banks", banks);
        return document;
    }

    static Map<String, Object> of(RmaBackend backend) {
        List<Map<String, Object>> banks = new ArrayList<>();
        for (Bank bank : backend.banks()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", bank.id());
            entry.put("name", bank.name());
            entry.put("size", bank.size());
            entry.put("sequence", backend.sequence(bank.id()));
            entry.put("lastWrite", iso(backend.lastWriteNanos(bank.id())));
            banks.add(entry);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("backend", backend.name());
        document.put("banks", banks);
        return document;
    }

    static String iso(long epochNanos) {
        return epochNanos == 0 ? null
                : Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }
}
