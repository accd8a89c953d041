package nexus.registry.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import nexus.registry.Problem.Kind;
import nexus.rma.RmaType;

/**
 * Tag lists in CSV (docs/registry.md): leading {@code # bank NAME SIZE} lines declare the banks, then
 * a header row and one tag per row. Columns: path, type, bank (required); byte_offset, bit_offset,
 * unit, description, writable, eng_low, eng_high, write_roles (optional; role names separated by
 * spaces); {@code prop.KEY} for properties.
 * Alarms need the JSON format.
 */
final class CsvTagList {

    static final List<String> COLUMNS = List.of("path", "type", "bank", "byte_offset", "bit_offset", "unit",
            "description", "writable", "eng_low", "eng_high", "write_roles");

    private CsvTagList() {
    }

    static TagList read(Path file, ListProblems problems) throws IOException {
        String name = file.getFileName().toString();
        TagList list = new TagList(file.toString());
        String content = Files.readString(file, StandardCharsets.UTF_8);
        if (content.startsWith("\uFEFF")) {
            content = content.substring(1);
        }
        BufferedReader lines = new BufferedReader(new StringReader(content));
        int skipped = 0;
        StringBuilder rest = new StringBuilder();
        String line;
        boolean header = false;
        while ((line = lines.readLine()) != null) {
            if (!header && (line.startsWith("#") || line.isBlank())) {
                skipped++;
                directive(list, line, new TagList.Place(name, skipped, 0), problems);
                continue;
            }
            header = true;
            rest.append(line).append('\n');
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(rest.toString(), format)) {
            List<String> headers = parser.getHeaderNames().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
            for (String required : List.of("path", "type", "bank")) {
                if (!headers.contains(required)) {
                    problems.add(Kind.MALFORMED, "the header row has no '" + required + "' column (columns: path, type,"
                            + " bank, byte_offset, bit_offset, unit, description, writable, eng_low, eng_high, write_roles, prop.KEY)",
                            new TagList.Place(name, skipped + 1, 0));
                    return list;
                }
            }
            for (CSVRecord record : parser) {
                int lineNumber = skipped + 1 + (int) record.getRecordNumber();
                list.tags.add(tag(record, headers, name, lineNumber, problems));
            }
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            problems.add(Kind.MALFORMED, "not readable as CSV: " + e.getMessage(), new TagList.Place(name, skipped + 1, 0));
        }
        return list;
    }

    private static void directive(TagList list, String line, TagList.Place place, ListProblems problems) {
        String[] words = line.substring(line.startsWith("#") ? 1 : 0).strip().split("\\s+");
        if (words.length == 0 || !words[0].equalsIgnoreCase("bank")) {
            return; // a comment
        }
        if (words.length != 3) {
            problems.add(Kind.MALFORMED, "a bank line reads '# bank NAME SIZE'", place);
            return;
        }
        TagList.BankSpec bank = new TagList.BankSpec();
        bank.name = words[1];
        Integer size = problems.integer(words[2], "bank size", place);
        bank.size = size == null ? 0 : size;
        bank.place = place;
        list.banks.add(bank);
    }

    private static TagList.TagSpec tag(CSVRecord record, List<String> headers, String file, int line,
            ListProblems problems) {
        TagList.TagSpec tag = new TagList.TagSpec();
        tag.place = new TagList.Place(file, line, 0);
        for (int column = 0; column < record.size() && column < headers.size(); column++) {
            String key = headers.get(column);
            String value = record.get(column);
            TagList.Place at = new TagList.Place(file, line, column + 1);
            switch (key) {
                case "path" -> tag.path = value.strip();
                case "type" -> TagList.parseType(tag, value, null);
                case "bank" -> tag.bank = value.strip();
                case "byte_offset" -> tag.byteOffset = problems.integer(value, "byte_offset", at);
                case "bit_offset" -> {
                    Integer bit = problems.integer(value, "bit_offset", at);
                    tag.bitOffset = bit == null ? 0 : bit;
                }
                case "unit" -> tag.unit = blankToNull(value);
                case "description" -> tag.description = blankToNull(value);
                case "writable" -> tag.writable = problems.bool(value, "writable", at);
                case "eng_low" -> tag.engLow = problems.number(value, "eng_low", at);
                case "eng_high" -> tag.engHigh = problems.number(value, "eng_high", at);
                case "write_roles" -> {
                    for (String role : value.strip().split("\\s+")) {
                        if (!role.isEmpty()) {
                            problems.writeRole(role, tag.writeRoles, "write_roles", at);
                        }
                    }
                }
                default -> {
                    if (key.startsWith("prop.") && !value.isBlank()) {
                        tag.properties.put(key.substring(5), value.strip());
                    }
                }
            }
        }
        if (record.size() != headers.size()) {
            problems.add(Kind.MALFORMED, "row has " + record.size() + " columns, the header has " + headers.size(), tag.place);
        }
        return tag;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Writes a registry's content as CSV, every address explicit. */
    static void write(RegistryContent content, Writer out) throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        content.tags().forEach(t -> keys.addAll(t.properties().keySet()));
        for (var bank : content.banks()) {
            out.write("# bank " + bank.name() + " " + bank.size() + "\n");
        }
        List<String> header = new ArrayList<>(COLUMNS);
        keys.forEach(k -> header.add("prop." + k));
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).setRecordSeparator('\n').get();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            for (var tag : content.tags()) {
                var a = tag.allocation();
                List<Object> row = new ArrayList<>();
                row.add(tag.path());
                row.add(a.type() == RmaType.STRING ? "STRING(" + a.length() + ")" : a.type().name());
                row.add(content.banks().get(a.bank()).name());
                row.add(a.byteOffset());
                row.add(a.bitOffset());
                row.add(nullToEmpty(tag.unit()));
                row.add(nullToEmpty(tag.description()));
                row.add(tag.writable() ? 1 : 0);
                row.add(tag.engLow() == null ? "" : tag.engLow());
                row.add(tag.engHigh() == null ? "" : tag.engHigh());
                row.add(String.join(" ", tag.writeRoles()));
                Map<String, String> properties = tag.properties();
                keys.forEach(k -> row.add(properties.getOrDefault(k, "")));
                printer.printRecord(row);
            }
        }
    }

    private static Object nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
