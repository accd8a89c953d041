package nexus.api.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * The JSON shape of {@code GET /api/v1/banks}:
 * {@code {"backend": "heap", "banks": [{"id", "name", "size", "sequence", "lastWrite"}]}}, with
 * {@code lastWrite} an ISO-8601 instant or null when the bank was never written.
 */
final class BankDocument {

    private BankDocument() {
    }

    static void serve(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        Map<String, Object> banks = of(api.backend());
        Http.json(exchange.request(), exchange.response(), 200, json -> json.writeObject(banks));
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
