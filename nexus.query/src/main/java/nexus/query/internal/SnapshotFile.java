package nexus.query.internal;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.SnapshotService;
import nexus.rma.RmaType;

/**
 * A snapshot file read back for a restore, in either format (told apart by its first character:
 * {@code {} for JSON lines, {@code #} for CSV), checked as a whole: a header, tag lines, and a trailer
 * whose count matches. A file cut short (no trailer, or an {@code error} line in its place) is refused
 * as truncated. Values come back as the writer wrote them: Boolean, Long or BigInteger, BigDecimal,
 * String, {@code null} for none, and Double for NaN and the infinities.
 */
final class SnapshotFile {

    /** One tag line: where it is in the file, and what it says. */
    record Entry(int line, String path, String type, Object value) {
    }

    final long registryVersion;
    final String layoutHash;
    final List<Entry> entries;

    private SnapshotFile(long registryVersion, String layoutHash, List<Entry> entries) {
        this.registryVersion = registryVersion;
        this.layoutHash = layoutHash;
        this.entries = entries;
    }

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * @throws NexusException INVALID_ARGUMENT naming the line and what is wrong, PAYLOAD_TOO_LARGE above {@code maxBytes}
     */
    static SnapshotFile read(InputStream in, long maxBytes) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(new Bounded(in, maxBytes),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        String first;
        try {
            first = reader.readLine();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw invalid(1, "the file is not UTF-8 text");
        }
        if (first == null || first.isBlank()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the snapshot is empty: send a file GET /api/v1/snapshot wrote");
        }
        if (first.startsWith("\uFEFF")) {
            first = first.substring(1);
        }
        try {
            return first.startsWith("{") ? jsonl(first, reader) : csv(first, reader);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the snapshot is not UTF-8 text");
        }
    }

    private static SnapshotFile jsonl(String first, BufferedReader reader) throws IOException {
        Map<String, Object> header = object(1, first);
        if (!"nexus".equals(header.get("snapshot")) || !Long.valueOf(SnapshotWriter.FORMAT).equals(header.get("format"))) {
            throw invalid(1, "the first line is not the header of a snapshot of format " + SnapshotWriter.FORMAT
                    + " ({\"snapshot\":\"nexus\",\"format\":1,…})");
        }
        String hash = text(1, header, "layoutHash");
        long version = header.get("registryVersion") instanceof Long v ? v : -1;
        List<Entry> entries = new ArrayList<>();
        int number = 1;
        String line;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> fields = object(number, line);
            if (fields.containsKey("error")) {
                throw truncated("the export that wrote it failed (" + fields.get("error") + ": " + fields.get("detail") + ")");
            }
            if (Boolean.TRUE.equals(fields.get("end"))) {
                trailer(number, fields.get("tags"), text(number, fields, "layoutHash"), hash, entries.size());
                if (!rest(reader)) {
                    throw invalid(number + 1, "text follows the trailer: send one snapshot");
                }
                return new SnapshotFile(version, hash, entries);
            }
            if (!fields.containsKey("value")) {
                throw invalid(number, "the tag line has no \"value\" (null for none)");
            }
            add(entries, new Entry(number, text(number, fields, "path"), text(number, fields, "type"), fields.get("value")));
        }
        throw truncated("it ends after " + entries.size() + " tags without its trailer line");
    }

    private static boolean rest(BufferedReader reader) throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static SnapshotFile csv(String first, BufferedReader reader) throws IOException {
        Map<String, String> header = metadata(1, firstRecord(first), "#nexus-snapshot");
        if (!String.valueOf(SnapshotWriter.FORMAT).equals(header.get("format"))) {
            throw invalid(1, "the first row is not the header of a snapshot of format " + SnapshotWriter.FORMAT
                    + " (#nexus-snapshot,format=1,…)");
        }
        String hash = required(1, header, "layoutHash");
        long version = parseLong(header.get("registryVersion"), -1);
        List<Entry> entries = new ArrayList<>();
        CSVParser parser = CSVParser.parse(reader, CsvCells.READ);
        Iterator<CSVRecord> records = parser.iterator();
        int at = 2; // the first line of the next record
        if (!records(records, at) || !SnapshotWriter.COLUMNS.equals(String.join(",", nonNull(CsvCells.cells(records.next()))))) {
            throw invalid(2, "the second row must name the columns " + SnapshotWriter.COLUMNS);
        }
        at = 2 + (int) parser.getCurrentLineNumber();
        while (records(records, at)) {
            List<String> cells = CsvCells.cells(records.next());
            String head = cells.get(0);
            // A tag row's path never begins with '#' (CsvCells.path), so these rows are what they say.
            if ("#error".equals(head)) {
                throw truncated("the export that wrote it failed (" + String.join(": ", nonNull(cells.subList(1, cells.size())))
                        + ")");
            }
            if ("#end".equals(head)) {
                Map<String, String> trailer = metadata(at, cells, "#end");
                trailer(at, parseLong(trailer.get("tags"), -1), required(at, trailer, "layoutHash"), hash, entries.size());
                if (records(records, at)) {
                    throw invalid(2 + (int) parser.getCurrentLineNumber(), "text follows the trailer: send one snapshot");
                }
                return new SnapshotFile(version, hash, entries);
            }
            if (cells.size() != 7 || head == null || cells.get(1) == null) {
                throw invalid(at, "a tag row has 7 cells (" + SnapshotWriter.COLUMNS + "), with a path and a type");
            }
            String type = cells.get(1);
            add(entries, new Entry(at, CsvCells.restored(head), type, csvValue(at, type, cells.get(2))));
            at = 2 + (int) parser.getCurrentLineNumber();
        }
        throw truncated("it ends after " + entries.size() + " tags without its #end row");
    }

    /** @return the cells of the header row, read on its own to tell the formats apart */
    private static List<String> firstRecord(String first) throws IOException {
        try (CSVParser parser = CSVParser.parse(first, CsvCells.READ)) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records(records, 1)) {
                throw invalid(1, "expected a #nexus-snapshot row");
            }
            return CsvCells.cells(records.next());
        }
    }

    /**
     * @return whether another record follows
     * @throws NexusException INVALID_ARGUMENT when the CSV is malformed there (an unclosed quote, text after one)
     */
    private static boolean records(Iterator<CSVRecord> records, int line) throws IOException {
        try {
            return records.hasNext();
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException coding) {
                throw coding;
            }
            throw invalid(line, "the CSV is malformed from here: " + e.getCause().getMessage());
        } catch (IllegalStateException e) {
            throw invalid(line, "the CSV is malformed from here: " + e.getMessage());
        }
    }

    private static List<String> nonNull(List<String> cells) {
        return cells.stream().map(c -> c == null ? "" : c).toList();
    }

    /** Adds a tag line, the type's name shared (a million copies of "FLOAT32" are not kept). */
    private static void add(List<Entry> entries, Entry entry) {
        if (entries.size() == SnapshotService.RESTORE_MAX_TAGS) {
            throw new NexusException(ErrorCode.PAYLOAD_TOO_LARGE, "the snapshot holds more than "
                    + SnapshotService.RESTORE_MAX_TAGS + " tags, the most a restore reads: restore it in parts, snapshots"
                    + " exported by callers of narrower read scopes");
        }
        String type = TYPES.getOrDefault(entry.type(), entry.type());
        entries.add(type == entry.type() ? entry : new Entry(entry.line(), entry.path(), type, entry.value()));
    }

    private static final Map<String, String> TYPES = java.util.Arrays.stream(RmaType.values())
            .collect(java.util.stream.Collectors.toMap(Enum::name, Enum::name));

    /** A CSV value cell as the type column says it was written. */
    private static Object csvValue(int line, String type, String cell) {
        if (cell == null) {
            return null;
        }
        String text = CsvCells.restored(cell);
        RmaType rma;
        try {
            rma = RmaType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw invalid(line, "'" + type + "' is no RMA type");
        }
        return switch (rma) {
            case STRING -> text;
            case BOOL -> switch (text) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw invalid(line, "a BOOL value is true or false, not '" + shorter(text) + "'");
            };
            default -> {
                Double special = special(text);
                if (special != null) {
                    yield special;
                }
                try {
                    yield new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw invalid(line, "a " + type + " value is a number, not '" + shorter(text) + "'");
                }
            }
        };
    }

    /** @return NaN or an infinity as the writer spells them, else null */
    static Double special(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    private static void trailer(int line, Object tags, String hash, String headerHash, int entries) {
        if (tags instanceof Long count && count < entries) {
            throw invalid(line, "the file has more tag lines than the trailer counts (" + entries + " tag lines, the"
                    + " trailer counts " + count + "): it was edited or joined; export it again");
        }
        if (!(tags instanceof Long count) || count != entries) {
            throw truncated("its trailer counts " + tags + " tags but " + entries + " tag lines came before it");
        }
        if (!hash.equals(headerHash)) {
            throw invalid(line, "the trailer's layout hash differs from the header's: the file was edited or joined");
        }
    }

    private static Map<String, String> metadata(int line, List<String> cells, String first) {
        if (!first.equals(cells.get(0))) {
            throw invalid(line, "expected a " + first + " row");
        }
        Map<String, String> fields = new HashMap<>();
        for (String cell : cells.subList(1, cells.size())) {
            int eq = cell == null ? -1 : cell.indexOf('=');
            if (eq > 0) {
                fields.put(cell.substring(0, eq), cell.substring(eq + 1));
            }
        }
        return fields;
    }

    private static String required(int line, Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw invalid(line, "the row has no " + name + "=");
        }
        return value;
    }

    private static long parseLong(String text, long absent) {
        try {
            return text == null ? absent : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    /** @return the fields of a one-line JSON object whose values are scalars */
    private static Map<String, Object> object(int line, String text) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(line, "the line is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                Object v = switch (value) {
                    case VALUE_NULL -> null;
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_STRING -> parser.getText();
                    case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
                    case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
                    default -> throw invalid(line, "\"" + name + "\" holds an object or a list: a snapshot's fields are"
                            + " single values");
                };
                if (fields.containsKey(name)) {
                    throw invalid(line, "the line has \"" + name + "\" twice");
                }
                fields.put(name, v);
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw invalid(line, "the line is not one JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid(line, "the line is not valid JSON: " + e.getOriginalMessage().split("\n")[0]);
        }
        return fields;
    }

    private static String text(int line, Map<String, Object> fields, String name) {
        if (!(fields.get(name) instanceof String text) || text.isEmpty()) {
            throw invalid(line, "the line has no \"" + name + "\" text");
        }
        return text;
    }

    private static String shorter(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    static NexusException invalid(int line, String why) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, "the snapshot is refused, nothing was written: line " + line
                + ": " + why);
    }

    private static NexusException truncated(String why) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, "the snapshot is truncated, nothing was written: " + why
                + "; export it again");
    }

    /** Refuses a source past the bound: a snapshot larger than a restore reads is not read into memory. */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private long read;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw new NexusException(ErrorCode.PAYLOAD_TOO_LARGE, "the snapshot is larger than a restore reads ("
                        + (max >> 20) + " MiB): restore it in parts, snapshots exported by callers of narrower read scopes");
            }
        }
    }
}
