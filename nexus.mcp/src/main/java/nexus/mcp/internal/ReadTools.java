package nexus.mcp.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmState;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Severity;
import nexus.json.FindJson;
import nexus.query.FindFilter;
import nexus.query.FindResult;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.ReadPlan;
import nexus.query.TagReading;

/**
 * The read-only tools. Each calls a public contract as the caller, so the caller's read scope, row
 * cap and time limit apply exactly as on the HTTP API; the adapter's own row cap ({@code max.rows})
 * bounds what one call returns on top.
 */
final class ReadTools {

    /** The public views, as docs/query.md names them. */
    static final List<String> VIEWS = List.of("tags", "tag_properties", "banks", "alarms");

    private final Backends backends;
    private final int maxRows;

    ReadTools(Backends backends, int maxRows) {
        this.backends = backends;
        this.maxRows = maxRows;
    }

    List<ToolDef> tools() {
        return List.of(
                new ToolDef("describe_namespace", "What the namespace holds, before you query it: the SQL views (tags,"
                        + " tag_properties, banks, alarms) with their columns and row counts, the banks, and the property keys"
                        + " in use, as far as your identity may read." + ToolDef.UNTRUSTED,
                        Schemas.object(""), false, this::describe),
                new ToolDef("find_tags", "Finds tags with a structured JSON filter (no SQL): the same filter as POST"
                        + " /api/v1/find (docs/find.md) — paths (globs such as site1/*/line3/**), properties, units, types,"
                        + " writable, alarms, live value/quality/alarm filters, order, limit, cursor." + ToolDef.UNTRUSTED,
                        Schemas.object("'filter': {'type': 'object', 'description': 'the find filter (docs/find.md)'}", "filter"),
                        false, this::find),
                new ToolDef("query", "Runs one guarded SQL SELECT over the views tags, tag_properties, banks and alarms"
                        + " (docs/query.md); values as ? parameters. Rows are capped." + ToolDef.UNTRUSTED,
                        Schemas.object("'sql': {'type': 'string', 'minLength': 1, 'maxLength': 16384},"
                                + " 'params': {'type': 'array', 'maxItems': 100, 'items': {'type': ['string', 'number', 'boolean', 'null']}},"
                                + " 'limit': {'type': 'integer', 'minimum': 1}", "sql"),
                        false, this::query),
                new ToolDef("explain", "Shows how a SELECT would be read (the read plan: banks, blocks, tags) without reading"
                        + " values.", Schemas.object("'sql': {'type': 'string', 'minLength': 1, 'maxLength': 16384},"
                                + " 'params': {'type': 'array', 'maxItems': 100, 'items': {'type': ['string', 'number', 'boolean', 'null']}}", "sql"),
                        false, this::explain),
                new ToolDef("read_tags", "Reads the current values of up to 100 tags by path, each with its quality and time."
                        + ToolDef.UNTRUSTED,
                        Schemas.object("'paths': {'type': 'array', 'minItems': 1, 'maxItems': 100, 'items': {'type': 'string',"
                                + " 'minLength': 1, 'maxLength': 1024}}", "paths"),
                        false, this::read),
                new ToolDef("list_alarms", "Lists the alarms you may see with their state (ISA-18.2: NORMAL, UNACK_ALARM,"
                        + " ACKED_ALARM, RTN_UNACK, SHELVED, SUPPRESSED, OUT_OF_SERVICE) and severity, optionally filtered."
                        + ToolDef.UNTRUSTED,
                        Schemas.object("'states': {'type': 'array', 'maxItems': 7, 'items': {'enum': " + names(AlarmState.values()) + "}},"
                                + " 'severities': {'type': 'array', 'maxItems': 4, 'items': {'enum': " + names(Severity.values()) + "}},"
                                + " 'prefix': {'type': 'string', 'maxLength': 1024}"),
                        false, this::alarms),
                new ToolDef("alarm_history_hint", "RMA Nexus keeps no alarm history: its events go to Loki. Answers the LogQL"
                        + " to run in Grafana Explore or logcli for one alarm's history (state changes and operator actions).",
                        Schemas.object("'alarm': {'type': 'string', 'minLength': 1, 'maxLength': 1024}", "alarm"),
                        false, this::historyHint));
    }

    private static String names(Enum<?>[] values) {
        List<String> quoted = new ArrayList<>();
        for (Enum<?> v : values) {
            quoted.add("'" + v.name() + "'");
        }
        return quoted.toString();
    }

    private int cap(int asked) {
        return asked <= 0 ? maxRows : Math.min(asked, maxRows);
    }

    private Outcome describe(Call call) {
        QueryService query = Backends.need(backends.query(), "the query service (nexus.query)");
        List<Map<String, Object>> views = new ArrayList<>();
        long version = 0;
        for (String view : VIEWS) {
            QueryResult columns = query.select(call.caller(), "SELECT * FROM " + view + " LIMIT 1", QueryOptions.limit(1));
            QueryResult count = query.select(call.caller(), "SELECT count(*) FROM " + view, QueryOptions.limit(1));
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", view);
            v.put("columns", columns.columns());
            v.put("rows", count.rows().isEmpty() ? 0 : count.rows().get(0).cells().get(0));
            views.add(v);
            version = count.registryVersion();
        }
        QueryResult banks = query.select(call.caller(), "SELECT * FROM banks ORDER BY 1", QueryOptions.limit(cap(0)));
        QueryResult keys = query.select(call.caller(), "SELECT key, count(*) AS tags FROM tag_properties GROUP BY key ORDER BY key",
                QueryOptions.limit(cap(0)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("registryVersion", version);
        out.put("views", views);
        out.put("banks", table(banks));
        List<Map<String, Object>> propertyKeys = new ArrayList<>();
        for (QueryResult.Row row : keys.rows()) {
            propertyKeys.add(Map.of("key", String.valueOf(row.cells().get(0)), "tags", row.cells().get(1)));
        }
        out.put("propertyKeys", Shapes.untrusted(propertyKeys));
        out.put("docs", "SQL: docs/query.md; views: docs/registry.md; find filter: docs/find.md");
        return Outcome.ok(views.size() + " views, " + banks.rows().size() + " banks, " + propertyKeys.size() + " property keys"
                + " (registry version " + version + ")", out, banks.rows().size() + propertyKeys.size());
    }

    private static Map<String, Object> table(QueryResult result) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueryResult.Row row : result.rows()) {
            Map<String, Object> r = new LinkedHashMap<>();
            for (int i = 0; i < result.columns().size(); i++) {
                r.put(result.columns().get(i), row.cells().get(i));
            }
            if (row.tag() != null) {
                Shapes.value(r, row.tag());
            }
            rows.add(r);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("columns", result.columns());
        t.put("rows", Shapes.untrusted(rows));
        t.put("truncated", result.truncated());
        return t;
    }

    private Outcome find(Call call) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) call.args().get("filter");
        FindFilter filter = FindJson.parse(json);
        FindResult result = Backends.need(backends.find(), "the find service (nexus.query)").find(call.caller(), filter);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FindResult.Row row : result.rows()) {
            if (rows.size() >= maxRows) {
                break;
            }
            Map<String, Object> tag = Shapes.reading(new TagReading(row.tag(), row.value()), true);
            if (row.alarms() != null) {
                List<Map<String, Object>> alarms = new ArrayList<>();
                for (FindResult.TagAlarm a : row.alarms()) {
                    alarms.add(Map.of("name", a.name(), "severity", a.severity().name(), "state", a.state(), "inAlarm", a.inAlarm(),
                            "acknowledged", a.acked()));
                }
                tag.put("alarms", alarms);
            }
            rows.add(tag);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tags", rows);
        out.put("cursor", result.cursor());
        out.put("examined", result.examined());
        out.put("matched", result.matched());
        out.put("registryVersion", result.registryVersion());
        out.put("truncated", rows.size() < result.rows().size());
        return Outcome.ok(rows.size() + " tags found" + (result.cursor() == null ? "" : "; more with the cursor"), out, rows.size());
    }

    private Outcome query(Call call) {
        QueryOptions options = new QueryOptions(cap(call.integer("limit", 0)), 0).withParams(call.list("params"));
        QueryResult result = Backends.need(backends.query(), "the query service (nexus.query)")
                .select(call.caller(), call.string("sql"), options);
        Map<String, Object> out = table(result);
        out.put("registryVersion", result.registryVersion());
        return Outcome.ok(result.rows().size() + " rows" + (result.truncated() ? " (truncated at the row cap)" : ""), out,
                result.rows().size());
    }

    private Outcome explain(Call call) {
        QueryOptions options = new QueryOptions(cap(0), 0).withParams(call.list("params"));
        ReadPlan plan = Backends.need(backends.query(), "the query service (nexus.query)")
                .explain(call.caller(), call.string("sql"), options);
        @SuppressWarnings("unchecked")
        Map<String, Object> out = Schemas.json().convertValue(plan, Map.class);
        return Outcome.ok(plan.tags() + " tags in " + plan.banks().size() + " banks", out, plan.tags());
    }

    private Outcome read(Call call) {
        List<String> paths = new ArrayList<>();
        call.list("paths").forEach(p -> paths.add((String) p));
        List<TagReading> readings = Backends.need(backends.tags(), "the tag service (nexus.query)").read(call.caller(), paths);
        List<Map<String, Object>> tags = new ArrayList<>();
        readings.forEach(r -> tags.add(Shapes.reading(r, false)));
        return Outcome.ok(tags.size() + " tags read", Map.of("tags", tags), tags.size());
    }

    private Outcome alarms(Call call) {
        AlarmService service = Backends.need(backends.alarms(), "the alarm service (nexus.alarm)");
        Set<AlarmState> states = EnumSet.noneOf(AlarmState.class);
        call.list("states").forEach(s -> states.add(AlarmState.valueOf((String) s)));
        Set<Severity> severities = EnumSet.noneOf(Severity.class);
        call.list("severities").forEach(s -> severities.add(Severity.valueOf((String) s)));
        List<Alarm> alarms = service.list(call.caller(), new AlarmFilter(states, severities, call.string("prefix")));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Alarm alarm : alarms) {
            if (out.size() >= maxRows) {
                break;
            }
            out.add(Shapes.alarm(alarm));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alarms", out);
        body.put("truncated", out.size() < alarms.size());
        return Outcome.ok(out.size() + " alarms" + (out.size() < alarms.size() ? " of " + alarms.size() : ""), body, out.size());
    }

    private Outcome historyHint(Call call) {
        String name = call.string("alarm");
        AlarmService service = backends.alarms();
        if (service != null) {
            service.get(call.caller(), name); // ALARM_NOT_FOUND (or out of scope) before a hint for nothing
        }
        String literal = logqlString(name);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alarm", name);
        out.put("logql", "{job=\"rma-nexus\", kind=~\"alarm|audit\"} | alarm = " + literal);
        out.put("logqlWithoutStructuredMetadata", "{job=\"rma-nexus\", kind=~\"alarm|audit\"} | json | alarm = " + literal);
        out.put("explanation", "RMA Nexus keeps no alarm history. The Loki sink (nexus.loki) sends every alarm event to the"
                + " stream kind=\"alarm\" and every operator action (acknowledge, shelve, ...) to kind=\"audit\", with the alarm"
                + " name as structured metadata 'alarm'. Run the query in Grafana Explore or with logcli over the time range"
                + " you want; the job label is 'job' in etc/nexus.loki.cfg (default rma-nexus). Use the second form for a Loki"
                + " without structured metadata (before 2.9).");
        return Outcome.ok("LogQL for the history of " + name + ": " + out.get("logql"), out, 1);
    }

    /**
     * @return the name as a LogQL (Go) double-quoted string: backslash, quote and every control
     *         character escaped, so that no name can end the string or the query early
     */
    static String logqlString(String name) {
        StringBuilder out = new StringBuilder(name.length() + 2).append('"');
        name.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.FORMAT) {
                        out.append(c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
