package nexus.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.alarm.AlarmState;
import nexus.core.AlarmCondition;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Severity;
import nexus.query.FindFilter;
import nexus.query.Quality;
import nexus.rma.RmaType;

/**
 * The filter's JSON form: strict parsing naming the field, and a schema that says the same. No schema
 * validator is on this build path, so {@link SchemaCheck} evaluates the keywords the schema uses over a
 * corpus of valid and invalid documents, which both must judge alike, and the schema is compared with
 * the parser's own field lists, enums and bounds. What JSON Schema cannot say (a number the parser
 * reads as infinite, a field given twice) only the parser refuses.
 */
class FindJsonTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyFieldIsRead() {
        FindFilter filter = FindJson.parse("""
                {"paths": ["site1/*/line3/**"], "properties": {"kind": "pump", "area": ["area1", "area2"]},
                 "units": ["rpm"], "types": ["FLOAT32"], "writable": false,
                 "alarms": {"present": true, "severities": ["HIGH"], "conditions": ["HI"]},
                 "live": {"value": {"gt": 1, "le": 5.5}, "qualities": ["GOOD"],
                          "alarms": {"states": ["UNACK_ALARM"], "inAlarm": true, "activeSeverities": ["CRITICAL"]}},
                 "order": "-path", "limit": 20, "cursor": "f1.x", "includeAlarms": true}""");

        assertThat(filter.paths()).containsExactly("site1/*/line3/**");
        assertThat(filter.properties().get("kind")).containsExactly("pump");
        assertThat(filter.properties().get("area")).containsExactlyInAnyOrder("area1", "area2");
        assertThat(filter.writable()).isFalse();
        assertThat(filter.alarms().severities()).containsExactly(Severity.HIGH);
        assertThat(filter.live().value().contains(5.5)).isTrue();
        assertThat(filter.live().value().contains(1)).isFalse();
        assertThat(filter.live().alarms().states()).containsExactly("UNACK_ALARM");
        assertThat(filter.order()).isEqualTo(FindFilter.Order.PATH_DESC);
        assertThat(filter.limit()).isEqualTo(20);
        assertThat(filter.includeAlarms()).isTrue();
        assertThat(FindJson.parse("{}")).isEqualTo(FindFilter.ALL);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"path\": [\"x\"]}|path: is not a field",
        "{\"paths\": \"site1/**\"}|paths: is a string",
        "{\"paths\": []}|paths: is an empty list",
        "{\"paths\": [\"site1//x\"]}|paths[0]: path glob 'site1//x' has an empty segment",
        "{\"paths\": [\"**\", \"a**\"]}|paths[1]: path glob 'a**' has ** inside a segment",
        "{\"paths\": [3]}|paths[0]: is a number",
        "{\"properties\": {\"area\": []}}|properties.area: is an empty list",
        "{\"properties\": {\"area\": 1}}|properties.area: is a number",
        "{\"properties\": {\"\": \"x\"}}|properties.: has an empty key",
        "{\"properties\": [\"area\"]}|properties: is a list",
        "{\"units\": [\"\"]}|units[0]: is empty",
        "{\"types\": [\"FLOAT\"]}|types[0]: 'FLOAT' is not one of",
        "{\"writable\": \"yes\"}|writable: is a string",
        "{\"alarms\": {\"present\": false, \"severities\": [\"HIGH\"]}}|alarms.present: is false",
        "{\"alarms\": {\"severity\": [\"HIGH\"]}}|alarms.severity: is not a field",
        "{\"alarms\": {\"severities\": [\"high\"]}}|alarms.severities[0]: 'high' is not one of",
        "{\"live\": {\"value\": {}}}|live.value: is empty",
        "{\"live\": {\"value\": {\"gt\": \"1\"}}}|live.value.gt: is a string",
        "{\"live\": {\"value\": {\"gt\": 1e400}}}|live.value.gt: is a number out of range",
        "{\"live\": {\"qualities\": [\"OK\"]}}|live.qualities[0]: 'OK' is not one of",
        "{\"live\": {\"alarms\": {\"states\": [\"ACTIVE\"]}}}|live.alarms.states[0]: 'ACTIVE' is not one of",
        "{\"live\": {\"valu\": {}}}|live.valu: is not a field",
        "{\"order\": \"unit\"}|order: is 'unit'",
        "{\"limit\": 0}|limit: is 0",
        "{\"limit\": 10001}|limit: is 10001",
        "{\"limit\": 2.5}|limit: is 2.5",
        "{\"cursor\": 5}|cursor: is a number",
        "{\"includeAlarms\": 1}|includeAlarms: is a number",
        "[]|(filter): is not a JSON object",
        "{\"paths\": [\"a\"], \"paths\": [\"b\"]}|the filter is not well-formed JSON"})
    void badInputIsRefusedNamingTheField(String json, String message) {
        assertThatThrownBy(() -> FindJson.parse(json)).isInstanceOf(NexusException.class)
                .hasMessageStartingWith(message).extracting(e -> ((NexusException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @ParameterizedTest
    @ValueSource(strings = { "paths", "units", "properties" })
    void overLongAndNulValuesAreRefusedSayingTheBound(String field) {
        String longValue = "x".repeat(FindJson.MAX_TEXT + 1);
        String value = field.equals("properties") ? "{\"k\": \"" + longValue + "\"}" : "[\"" + longValue + "\"]";
        assertThatThrownBy(() -> FindJson.parse("{\"" + field + "\": " + value + "}"))
                .hasMessageContaining("1025 characters long; the limit is 1024");
        String nul = field.equals("properties") ? "{\"k\": \"a\\u0000b\"}" : "[\"a\\u0000b\"]";
        assertThatThrownBy(() -> FindJson.parse("{\"" + field + "\": " + nul + "}")).hasMessageContaining("NUL");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= FindJson.MAX_ITEMS; i++) {
            many.add("\"v" + i + "\"");
        }
        String list = "[" + String.join(",", many) + "]";
        assertThatThrownBy(() -> FindJson.parse("{\"" + field + "\": " + (field.equals("properties") ? "{\"k\": " + list
                + "}" : list) + "}")).hasMessageContaining("has 101 items; the limit is 100");
    }

    @Test
    void aMapFromAnotherFrontEndIsReadTheSameWay() {
        assertThat(FindJson.parse(java.util.Map.of("units", List.of("rpm"), "limit", 5)).units()).containsExactly("rpm");
        assertThatThrownBy(() -> FindJson.parse(java.util.Map.of("unit", "rpm"))).hasMessageStartingWith("unit: ");
    }

    /** Documents both must judge alike: the valid ones, then one of each refusal the schema can express. */
    static List<String> corpus() {
        List<String> corpus = new ArrayList<>(List.of(
                "{}",
                "{\"paths\": [\"**\"]}",
                "{\"paths\": [\"site1/*/line3/**\", \"*/area?/pump*\", \"a[1]/%/_\"]}",
                "{\"properties\": {\"kind\": \"pump\", \"area\": [\"area1\", \"area2\"]}, \"units\": [\"%\"]}",
                "{\"types\": [\"FLOAT32\", \"BOOL\"], \"writable\": true, \"order\": \"-path\", \"limit\": 10000}",
                "{\"alarms\": {\"present\": false}}",
                "{\"alarms\": {\"present\": true, \"severities\": [\"HIGH\"], \"conditions\": [\"HI\", \"TRUE\"]}}",
                "{\"alarms\": {\"severities\": [\"LOW\"]}}",
                "{\"live\": {\"value\": {\"gt\": -1.5, \"le\": 1e30}, \"qualities\": [\"GOOD\", \"STALE\"]}}",
                "{\"live\": {\"alarms\": {\"states\": [\"UNACK_ALARM\"], \"inAlarm\": true, \"activeSeverities\": [\"CRITICAL\"]}}}",
                "{\"cursor\": \"f1.abc\", \"includeAlarms\": false, \"limit\": 1}",
                "{\"paths\": [\"日本/工場/**\"], \"properties\": {\"説明\": \"ポンプ\"}}",
                "{\"paths\": [\"a\\u0000b\"]}",
                "{\"properties\": {\"k\": \"a\\u0000b\"}}",
                "{\"properties\": {\"a\\u0000b\": \"v\"}}",
                "{\"paths\": [\"/site1\"]}",
                "{\"paths\": [\"site1/\"]}",
                "{\"paths\": [\"**a\"]}",
                "{\"paths\": [\"site1/**/x\", \"a*b*\"]}",
                "{\"limit\": 1.0}",
                "{\"live\": {\"value\": {\"ge\": 1}, \"alarms\": {}}}",
                "{\"properties\": {}}",
                "{\"units\": [\"" + "u".repeat(FindJson.MAX_TEXT) + "\"]}",
                "{\"units\": [\"" + "u".repeat(FindJson.MAX_TEXT + 1) + "\"]}",
                "{\"properties\": {\"" + "k".repeat(FindJson.MAX_KEY + 1) + "\": \"v\"}}",
                // characters beyond the BMP: one character each for the schema, two UTF-16 units in Java
                "{\"units\": [\"" + "\uD83D\uDE00".repeat(FindJson.MAX_TEXT) + "\"]}",
                "{\"units\": [\"" + "\uD83D\uDE00".repeat(FindJson.MAX_TEXT + 1) + "\"]}",
                "{\"properties\": {\"" + "\uD83D\uDE00".repeat(FindJson.MAX_KEY) + "\": \"v\"}}"));
        for (String[] bad : badInput()) {
            if (!bad[0].contains("1e400") && !bad[0].contains("\"paths\": [\"a\"], \"paths\"")) {
                corpus.add(bad[0]);
            }
        }
        return corpus;
    }

    /** The documents of {@link #badInputIsRefusedNamingTheField}, without their messages. */
    static List<String[]> badInput() throws RuntimeException {
        try {
            var source = FindJsonTest.class.getDeclaredMethod("badInputIsRefusedNamingTheField", String.class, String.class)
                    .getAnnotation(CsvSource.class);
            List<String[]> rows = new ArrayList<>();
            for (String row : source.value()) {
                rows.add(new String[] { row.substring(0, row.lastIndexOf('|')) });
            }
            return rows;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void theSchemaAndTheParserJudgeEveryDocumentAlike(String document) throws Exception {
        JsonNode schema = JSON.readTree(FindJson.schema());
        boolean parsed;
        try {
            FindJson.parse(document);
            parsed = true;
        } catch (NexusException e) {
            parsed = false;
        }

        assertThat(SchemaCheck.valid(schema, JSON.readTree(document))).as(document).isEqualTo(parsed);
    }

    @Test
    void theSchemaHasExactlyTheParsersFieldsEnumsAndBounds() throws Exception {
        JsonNode schema = JSON.readTree(FindJson.schema());
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(names(schema)).isEqualTo(Set.copyOf(FindJson.FIELDS));
        JsonNode p = schema.path("properties");
        assertThat(names(p.path("alarms"))).isEqualTo(Set.copyOf(FindJson.ALARM_FIELDS));
        assertThat(names(p.path("live"))).isEqualTo(Set.copyOf(FindJson.LIVE_FIELDS));
        assertThat(names(p.path("live").path("properties").path("value"))).isEqualTo(Set.copyOf(FindJson.RANGE_FIELDS));
        assertThat(names(p.path("live").path("properties").path("alarms")))
                .isEqualTo(Set.copyOf(FindJson.LIVE_ALARM_FIELDS));
        for (JsonNode object : List.of(schema, p.path("alarms"), p.path("live"), p.path("live").path("properties").path("value"),
                p.path("live").path("properties").path("alarms"))) {
            assertThat(object.path("additionalProperties").asBoolean(true)).as("unknown fields refused").isFalse();
        }
        assertThat(strings(p.path("types").path("items").path("enum"))).isEqualTo(names(RmaType.values()));
        assertThat(strings(p.path("alarms").path("properties").path("severities").path("items").path("enum")))
                .isEqualTo(names(Severity.values()));
        assertThat(strings(p.path("alarms").path("properties").path("conditions").path("items").path("enum")))
                .isEqualTo(names(AlarmCondition.values()));
        JsonNode live = p.path("live").path("properties");
        assertThat(strings(live.path("qualities").path("items").path("enum"))).isEqualTo(names(Quality.values()));
        assertThat(strings(live.path("alarms").path("properties").path("states").path("items").path("enum")))
                .isEqualTo(names(AlarmState.values()));
        assertThat(strings(p.path("order").path("enum"))).isEqualTo(FindJson.ORDERS);
        assertThat(p.path("limit").path("minimum").asInt()).isEqualTo(1);
        assertThat(p.path("limit").path("maximum").asInt()).isEqualTo(FindFilter.MAX_LIMIT);
        assertThat(p.path("cursor").path("maxLength").asInt()).isEqualTo(FindJson.MAX_CURSOR);
        assertThat(p.path("paths").path("items").path("maxLength").asInt()).isEqualTo(FindJson.MAX_TEXT);
        assertThat(p.path("paths").path("maxItems").asInt()).isEqualTo(FindJson.MAX_ITEMS);
        assertThat(p.path("paths").path("minItems").asInt()).isEqualTo(1);
        assertThat(p.path("properties").path("maxProperties").asInt()).isEqualTo(FindJson.MAX_PROPERTIES);
        assertThat(p.path("properties").path("propertyNames").path("maxLength").asInt()).isEqualTo(FindJson.MAX_KEY);
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new java.util.HashSet<>();
        object.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> names(Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(Enum::name).toList();
    }
}
