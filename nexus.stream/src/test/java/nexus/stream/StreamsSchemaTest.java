package nexus.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmState;
import nexus.core.AlarmCondition;
import nexus.core.ErrorCode;
import nexus.core.Severity;
import nexus.query.Quality;
import nexus.rma.RmaType;

/**
 * docs/streams.schema.json against docs/streams.md and the Java enums it spells out. No JSON Schema
 * validator is a dependency, so the examples are checked at their top level only: each one's
 * {@code type} has a branch, its fields are ones that branch allows, and the branch's required
 * fields are there.
 */
class StreamsSchemaTest {

    private static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TYPE = Pattern.compile("\\{\"type\": \"(\\w+)\"");
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    private final JsonNode schema = read();
    private final String doc = text("streams.md");

    @Test
    void everyMessageTypeOfTheProtocolHasABranchAndNoOtherDoes() {
        Set<String> documented = new TreeSet<>();
        Matcher types = TYPE.matcher(doc);
        while (types.find()) {
            documented.add(types.group(1));
        }
        Set<String> branches = new TreeSet<>();
        for (String side : List.of("clientMessage", "nodeMessage")) {
            for (JsonNode ref : schema.at("/$defs/" + side + "/oneOf")) {
                branches.add(definition(ref).at("/properties/type/const").asText());
            }
        }

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(documented).contains("subscribe", "data", "close").hasSize(12);
        assertThat(branches).isEqualTo(documented);
    }

    @Test
    void everyExampleHasTheFieldsOfItsBranch() throws IOException {
        List<JsonNode> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(15);
        for (JsonNode example : examples) {
            String type = example.path("type").asText();
            List<JsonNode> candidates = branches(type);
            assertThat(candidates).as("a branch for type %s", type).isNotEmpty();
            assertThat(candidates.stream().anyMatch(branch -> fits(example, branch)))
                    .as("a branch for %s has exactly the fields of %s", type, example).isTrue();
        }
    }

    @Test
    void theEnumsAreThoseOfTheCode() {
        assertEnum("errorCode", ErrorCode.values());
        assertEnum("quality", Quality.values());
        assertEnum("rmaType", RmaType.values());
        assertEnum("alarmState", AlarmState.values());
        assertEnum("severity", Severity.values());
        assertThat(names(schema.at("/$defs/alarmEvent/properties/event/enum"))).isEqualTo(names(AlarmEventType.values()));
        assertThat(names(schema.at("/$defs/alarm/properties/condition/enum"))).isEqualTo(names(AlarmCondition.values()));
    }

    @Test
    void closeCodesAreThoseOfStreamClose() throws IllegalAccessException {
        Set<Integer> codes = new TreeSet<>();
        for (Field field : StreamClose.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                codes.add(field.getInt(null));
            }
        }
        Set<Integer> inSchema = new TreeSet<>();
        schema.at("/$defs/close/properties/code/enum").forEach(code -> inSchema.add(code.asInt()));

        assertThat(inSchema).isEqualTo(codes);
    }

    /** The messages of every json block; an elided list ({@code […]}) stands for an empty one. */
    private List<JsonNode> examples() throws IOException {
        List<JsonNode> examples = new ArrayList<>();
        Matcher block = JSON_BLOCK.matcher(doc);
        while (block.find()) {
            try (MappingIterator<JsonNode> messages = JSON.readerFor(JsonNode.class)
                    .readValues(block.group(1).replace("[…]", "[]"))) {
                messages.forEachRemaining(examples::add);
            }
        }
        return examples;
    }

    private List<JsonNode> branches(String type) {
        List<JsonNode> found = new ArrayList<>();
        schema.path("$defs").forEach(definition -> {
            if (definition.at("/properties/type/const").asText("").equals(type)) {
                found.add(definition);
            }
        });
        return found;
    }

    private static boolean fits(JsonNode message, JsonNode branch) {
        Set<String> allowed = fieldNames(branch.path("properties"));
        Set<String> fields = fieldNames(message);
        boolean strict = branch.path("additionalProperties").isBoolean() && !branch.path("additionalProperties").asBoolean();
        boolean required = StreamSupport.stream(branch.path("required").spliterator(), false)
                .allMatch(name -> fields.contains(name.asText()));
        return required && (!strict || allowed.containsAll(fields));
    }

    private JsonNode definition(JsonNode ref) {
        return schema.at(ref.path("$ref").asText().substring(1));
    }

    private void assertEnum(String definition, Enum<?>[] values) {
        assertThat(names(schema.at("/$defs/" + definition + "/enum"))).as(definition).isEqualTo(names(values));
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new TreeSet<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }

    private static Set<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private static JsonNode read() {
        try {
            return JSON.readTree(text("streams.schema.json"));
        } catch (IOException e) {
            throw new IllegalStateException("docs/streams.schema.json is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(String name) {
        try {
            return Files.readString(DOCS.resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read docs/" + name + ": " + e.getMessage(), e);
        }
    }
}
