package nexus.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import nexus.query.QueryResult;
import nexus.query.QueryStats;
import nexus.query.ReadPlan;
import nexus.query.TagValue;

/** Renders query results and read plans as console tables. */
final class QueryText {

    private static final int WIDEST = 48;

    private QueryText() {
    }

    static String table(QueryResult result) {
        boolean values = result.rows().stream().anyMatch(r -> r.tag() != null);
        List<String> header = new ArrayList<>(result.columns());
        if (values) {
            header.addAll(List.of("value", "quality", "ts"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (QueryResult.Row row : result.rows()) {
            List<String> cells = new ArrayList<>();
            row.cells().forEach(c -> cells.add(text(c)));
            if (values) {
                TagValue tag = row.tag();
                cells.add(tag == null ? "" : text(tag.value()));
                cells.add(tag == null ? "" : tag.quality().name());
                cells.add(tag == null || tag.timestamp() == 0 ? ""
                        : Instant.ofEpochSecond(tag.timestamp() / 1_000_000_000L, tag.timestamp() % 1_000_000_000L).toString());
            }
            rows.add(cells);
        }
        StringBuilder out = new StringBuilder();
        TextTable.render(out, header, rows, WIDEST);
        QueryStats s = result.stats();
        out.append(result.rows().size()).append(" rows").append(result.truncated() ? " (truncated: more matched)" : "")
                .append(", registry version ").append(result.registryVersion())
                .append(", ").append(s.blocks()).append(" blocks / ").append(s.bytesRead()).append(" bytes read in ")
                .append(String.format("%.2f ms", (s.guardNanos() + s.sqlNanos() + s.planNanos() + s.readNanos() + s.decodeNanos()) / 1e6))
                .append('\n');
        return out.toString();
    }

    static String plan(ReadPlan plan) {
        StringBuilder out = new StringBuilder();
        out.append(plan.tags()).append(" tags, ").append(plan.blocks()).append(" blocks, ").append(plan.bytes())
                .append(" bytes (merge gap ").append(plan.maxGap()).append(", block ").append(plan.maxBlock())
                .append(", registry version ").append(plan.registryVersion()).append(")\n");
        for (ReadPlan.BankReads bank : plan.banks()) {
            out.append("  bank ").append(bank.name()).append(" (").append(bank.bank()).append(')')
                    .append(bank.source() == null ? "" : ", mirrors " + bank.source()).append('\n');
            for (ReadPlan.Block block : bank.blocks()) {
                out.append(String.format("    bytes %d..%d  %d bytes  %d tags\n", block.offset(), block.end(),
                        block.length(), block.tags()));
            }
        }
        return out.toString();
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof byte[] bytes) {
            return "x'" + java.util.HexFormat.of().formatHex(bytes) + "'";
        }
        return value.toString();
    }
}
