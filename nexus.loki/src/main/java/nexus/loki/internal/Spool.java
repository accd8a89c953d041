package nexus.loki.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Entries that wait on disk: through a Loki outage (the sink spills what it cannot push) and across
 * a restart (it spills what is left at stop). A folder of segment files, each named by the number
 * of its first entry, each a JSON line per entry, written whole and forced to disk before it counts;
 * read oldest first. When the spool would grow past its limit the oldest segments go, counted.
 *
 * <p>Delivery is at least once: after a crash the segment being shipped is shipped again from its
 * start, and Loki keeps one entry for an identical timestamp and line in a stream, so a repeat
 * changes nothing. Thread-safe.
 */
final class Spool {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper();
    private static final String SUFFIX = ".spool";

    /** One segment on disk: its entries and bytes, counted when it was written or found. */
    private static final class Segment {
        final Path file;
        final long first;
        int entries;
        final long bytes;

        Segment(Path file, long first, int entries, long bytes) {
            this.file = file;
            this.first = first;
            this.entries = entries;
            this.bytes = bytes;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final Deque<Segment> segments = new ArrayDeque<>();
    /** The oldest segment's entries, read, and how many of them are shipped. */
    private List<Entry> head;
    private int shipped;
    private long bytes;
    /** Entries in all segments, shipped ones of the head included. */
    private long total;
    private long dropped;
    private long corrupt;
    private long lastNumber;

    /**
     * Opens the folder (creating it) and takes stock of the segments a previous run left.
     *
     * @throws UncheckedIOException when the folder cannot be created or listed
     */
    Spool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        TreeMap<Long, Path> found = new TreeMap<>();
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(SUFFIX + ".tmp")).forEach(f -> {
                    try {
                        Files.delete(f); // a segment whose write a crash interrupted: never counted
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).forEach(f -> {
                    String name = f.getFileName().toString();
                    try {
                        found.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), f);
                    } catch (NumberFormatException e) {
                        // not ours: left alone
                    }
                });
            }
            for (Map.Entry<Long, Path> segment : found.entrySet()) {
                List<Entry> read = read(segment.getValue(), true);
                long size = Files.size(segment.getValue());
                segments.addLast(new Segment(segment.getValue(), segment.getKey(), read.size(), size));
                bytes += size;
                total += read.size();
                for (Entry entry : read) {
                    lastNumber = Math.max(lastNumber, entry.number());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the spool folder " + dir + ": " + e.getMessage(), e);
        }
    }

    synchronized boolean isEmpty() {
        return entries() == 0;
    }

    /** @return the entries waiting */
    synchronized long entries() {
        return total - (head != null ? shipped : 0);
    }

    synchronized long bytes() {
        return bytes;
    }

    /** @return the entries dropped because the spool was full */
    synchronized long dropped() {
        return dropped;
    }

    /** @return lines that could not be read back (a crash in the middle of a write) */
    synchronized long corrupt() {
        return corrupt;
    }

    /** @return the highest entry number found when the spool was opened, or written since */
    synchronized long lastNumber() {
        return lastNumber;
    }

    /** @return every waiting entry's stream and timestamp, so that new entries come after them */
    synchronized Map<String, Long> lastNanos() {
        Map<String, Long> last = new LinkedHashMap<>();
        for (Segment segment : segments) {
            for (Entry entry : segment == segments.peekFirst() && head != null ? head : read(segment.file, false)) {
                last.merge(entry.streamKey(), entry.nanos(), Math::max);
            }
        }
        return last;
    }

    /**
     * Writes entries as one new segment, forced to disk, then drops the oldest segments while the
     * spool is over its limit.
     *
     * @throws UncheckedIOException when the segment cannot be written (nothing is counted then)
     */
    synchronized void append(List<Entry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long first = batch.get(0).number();
        Path file = dir.resolve(String.format("%020d%s", first, SUFFIX));
        Path temporary = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
                Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8)) {
            for (Entry entry : batch) {
                out.write(json(entry));
                out.write('\n');
            }
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the spool " + dir + ": " + e.getMessage(), e);
        }
        try {
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            long size = Files.size(file);
            segments.addLast(new Segment(file, first, batch.size(), size));
            bytes += size;
            total += batch.size();
            lastNumber = Math.max(lastNumber, batch.get(batch.size() - 1).number());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the spool " + dir + ": " + e.getMessage(), e);
        }
        while (bytes > maxBytes && segments.size() > 1) {
            Segment oldest = segments.peekFirst();
            int lost = oldest.entries - (head != null ? shipped : 0);
            removeHead();
            dropped += lost;
        }
    }

    /** @return up to {@code max} of the oldest waiting entries (fewer at a segment's end), without removing them */
    synchronized List<Entry> peek(int max, int maxBytes) {
        if (!loadHead()) {
            return List.of();
        }
        List<Entry> batch = new ArrayList<>();
        int size = 0;
        for (int i = shipped; i < head.size() && batch.size() < max; i++) {
            Entry entry = head.get(i);
            if (!batch.isEmpty() && size + entry.size() > maxBytes) {
                break;
            }
            batch.add(entry);
            size += entry.size();
        }
        return batch;
    }

    /** The first {@code count} entries {@link #peek} gave are delivered (or given up). */
    synchronized void commit(int count) {
        if (head == null) {
            return;
        }
        shipped = Math.min(head.size(), shipped + count);
        if (shipped >= head.size()) {
            removeHead();
        }
    }

    private boolean loadHead() {
        while (head == null && !segments.isEmpty()) {
            Segment segment = segments.peekFirst();
            head = read(segment.file, false);
            shipped = 0;
            total += head.size() - segment.entries;
            segment.entries = head.size();
            if (head.isEmpty()) {
                removeHead();
            }
        }
        return head != null;
    }

    private void removeHead() {
        Segment segment = segments.pollFirst();
        if (segment == null) {
            return;
        }
        bytes -= segment.bytes;
        total -= segment.entries;
        head = null;
        shipped = 0;
        try {
            Files.deleteIfExists(segment.file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the shipped spool segment " + segment.file + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return the segment's entries; lines that cannot be read are skipped (and counted when asked) */
    private List<Entry> read(Path file, boolean count) {
        List<Entry> read = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    read.add(entry(READER.readTree(line)));
                } catch (IOException | RuntimeException e) {
                    corrupt += count ? 1 : 0;
                }
            }
        } catch (IOException e) {
            corrupt += count ? 1 : 0;
        }
        return read;
    }

    static String json(Entry entry) {
        StringWriter text = new StringWriter(entry.size() + 64);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("n", entry.number());
            json.writeStringField("ts", Long.toString(entry.nanos()));
            json.writeObjectFieldStart("stream");
            for (Map.Entry<String, String> label : entry.stream().entrySet()) {
                json.writeStringField(label.getKey(), label.getValue());
            }
            json.writeEndObject();
            json.writeStringField("line", entry.line());
            json.writeStringField("alarm", entry.alarm());
            if (entry.tag() != null) {
                json.writeStringField("tag", entry.tag());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static Entry entry(JsonNode node) {
        Map<String, String> stream = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> labels = node.get("stream").fields(); labels.hasNext();) {
            Map.Entry<String, JsonNode> label = labels.next();
            stream.put(label.getKey(), label.getValue().asText());
        }
        if (!node.get("line").isTextual() || !node.get("alarm").isTextual()) {
            throw new IllegalArgumentException("not an entry");
        }
        return new Entry(node.get("n").asLong(), Collections.unmodifiableMap(stream), Entry.key(stream),
                Long.parseLong(node.get("ts").asText()), node.get("line").asText(), node.get("alarm").asText(),
                node.hasNonNull("tag") ? node.get("tag").asText() : null);
    }
}
