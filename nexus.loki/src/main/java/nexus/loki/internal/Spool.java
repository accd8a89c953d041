package nexus.loki.internal;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
 * of its first entry and holding at most a batch of entries, one JSON line each; a segment is
 * written to a temporary file, forced to disk and moved into place (the folder forced too), so it
 * counts only once it is whole. Segments are shipped in entry order. When the spool would grow
 * past its limit the oldest segments go, counted.
 *
 * <p>Files are read and written through streams, not interruptible channels: a thread interrupted
 * to stop never turns a read into "empty" or loses a write half-way. A segment is deleted only after
 * it was read whole and every entry in it was delivered or given up.
 *
 * <p>A segment may also be a copy of a batch whose push is under way (so that a crash cannot lose
 * it); it is {@link #discard discarded} when Loki answers.
 *
 * <p>Delivery is at least once: after a crash the segment being shipped is shipped again from its
 * start, and Loki keeps one entry for an identical timestamp and line in a stream, so a repeat
 * changes nothing. Thread-safe; {@link #isEmpty} and {@link #entries} never wait for a write.
 */
final class Spool {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper();
    private static final String SUFFIX = ".spool";

    /** One segment on disk. */
    private static final class Segment {
        final Path file;
        final long first;
        int entries;
        /** Of them, entries made from audit records (the rest are alarm events). */
        final int audit;
        final long bytes;

        Segment(Path file, long first, List<Entry> entries, long bytes) {
            this.file = file;
            this.first = first;
            this.entries = entries.size();
            this.audit = audit(entries);
            this.bytes = bytes;
        }
    }

    private static int audit(List<Entry> entries) {
        int audit = 0;
        for (Entry entry : entries) {
            if (entry.input() == Entry.Input.AUDIT_RECORD) {
                audit++;
            }
        }
        return audit;
    }

    private final Path dir;
    private final long maxBytes;
    private final int segmentEntries;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final Map<String, Long> lastNanos = new HashMap<>();
    /** The oldest segment's entries, once read, and how many of them are delivered. */
    private Segment headSegment;
    private List<Entry> head;
    private int shipped;
    private long bytes;
    /** Entries in all segments, the delivered ones of the head included. */
    private long total;
    private long dropped;
    private long droppedAudit;
    private long corrupt;
    private long lastNumber;
    /**
     * The entries waiting, readable without the spool's lock: the shipper asks under its queue's
     * lock, which must never wait for a segment being forced to disk.
     */
    private volatile long waiting;

    /**
     * Opens the folder (creating it) and takes stock of the segments a previous run left; a segment
     * with lines that cannot be read (a crash while it was written) is rewritten without them, and
     * they are counted once.
     *
     * @param segmentEntries the most entries one segment holds (the batch size)
     * @throws UncheckedIOException when the folder or a segment cannot be read or written
     */
    Spool(Path dir, long maxBytes, int segmentEntries) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentEntries = Math.max(1, segmentEntries);
        try {
            Files.createDirectories(dir);
            TreeMap<Long, Path> found = new TreeMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(SUFFIX + ".tmp")) {
                        Files.delete(file); // a write a crash interrupted: never counted, its entries were in memory
                    } else if (name.endsWith(SUFFIX)) {
                        try {
                            found.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), file);
                        } catch (NumberFormatException e) {
                            // not ours: left alone
                        }
                    }
                }
            }
            for (Map.Entry<Long, Path> segment : found.entrySet()) {
                Path file = segment.getValue();
                int[] bad = new int[1];
                List<Entry> read = read(file, bad);
                if (bad[0] > 0) {
                    corrupt += bad[0];
                    if (read.isEmpty()) {
                        Files.delete(file);
                        continue;
                    }
                    write(file, read);
                }
                long size = Files.size(file);
                segments.put(segment.getKey(), new Segment(file, segment.getKey(), read, size));
                bytes += size;
                total += read.size();
                for (Entry entry : read) {
                    lastNumber = Math.max(lastNumber, entry.number());
                    lastNanos.merge(entry.streamKey(), entry.nanos(), Math::max);
                }
            }
            waiting = total;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the spool folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Never waits for a write in progress. */
    boolean isEmpty() {
        return waiting == 0;
    }

    /** @return the entries waiting; never waits for a write in progress */
    long entries() {
        return waiting;
    }

    private void counted() {
        waiting = total - (head != null ? shipped : 0);
    }

    synchronized long bytes() {
        return bytes;
    }

    /** @return the entries dropped because the spool was full */
    synchronized long dropped() {
        return dropped;
    }

    /** @return of the entries dropped because the spool was full, those made from audit records */
    synchronized long droppedAudit() {
        return droppedAudit;
    }

    /** @return lines found unreadable when the spool was opened (a crash in the middle of a write) */
    synchronized long corrupt() {
        return corrupt;
    }

    /** @return the highest entry number found when the spool was opened, or written since */
    synchronized long lastNumber() {
        return lastNumber;
    }

    /** @return every stream's latest timestamp in the spool, so that new entries come after them */
    synchronized Map<String, Long> lastNanos() {
        return Map.copyOf(lastNanos);
    }

    /**
     * Writes entries as new segments of at most a batch each, forced to disk, then drops the oldest
     * segments while the spool is over its limit.
     *
     * @throws UncheckedIOException when a segment cannot be written (the entries not written are
     *                              then still the caller's)
     */
    synchronized void append(List<Entry> entries) {
        for (int from = 0; from < entries.size(); from += segmentEntries) {
            List<Entry> chunk = entries.subList(from, Math.min(entries.size(), from + segmentEntries));
            long first = chunk.get(0).number();
            Path file = dir.resolve(String.format("%020d%s", first, SUFFIX));
            try {
                write(file, chunk);
                long size = Files.size(file);
                Segment previous = segments.put(first, new Segment(file, first, chunk, size));
                if (previous != null) {
                    bytes -= previous.bytes;
                    total -= previous.entries;
                }
                bytes += size;
                total += chunk.size();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to the spool " + dir + ": " + e.getMessage(), e);
            }
            for (Entry entry : chunk) {
                lastNumber = Math.max(lastNumber, entry.number());
                lastNanos.merge(entry.streamKey(), entry.nanos(), Math::max);
            }
            counted();
        }
        while (bytes > maxBytes && segments.size() > 1) {
            Segment oldest = segments.firstEntry().getValue();
            long lost = oldest.entries - (oldest == headSegment ? shipped : 0);
            droppedAudit += oldest == headSegment ? audit(head.subList(shipped, head.size())) : oldest.audit;
            remove(oldest);
            dropped += lost;
        }
        counted();
    }

    /**
     * Takes back a batch that was written as a segment of its own while its push was under way, and
     * that Loki has now taken (or refused): it must not be shipped again.
     *
     * @return whether the segment was still there (it may have made way for newer ones when the
     *         spool was full)
     */
    synchronized boolean discard(List<Entry> batch) {
        if (batch.isEmpty()) {
            return false;
        }
        Segment segment = segments.get(batch.get(0).number());
        if (segment == null) {
            return false;
        }
        remove(segment);
        counted();
        return true;
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

    /**
     * A batch {@link #peek} gave is delivered (or given up). Nothing happens when its segment is no
     * longer the head (it was dropped meanwhile because the spool was full).
     */
    synchronized void commit(List<Entry> batch) {
        if (head == null || batch.isEmpty() || shipped >= head.size()
                || head.get(shipped).number() != batch.get(0).number()) {
            return;
        }
        shipped = Math.min(head.size(), shipped + batch.size());
        if (shipped >= head.size()) {
            remove(headSegment);
        }
        counted();
    }

    private boolean loadHead() {
        while (head == null && !segments.isEmpty()) {
            Segment segment = segments.firstEntry().getValue();
            List<Entry> read;
            try {
                read = read(segment.file, new int[1]);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spool segment " + segment.file + ": " + e.getMessage(), e);
            }
            total += read.size() - segment.entries;
            segment.entries = read.size();
            headSegment = segment;
            head = read;
            shipped = 0;
            if (read.isEmpty()) {
                remove(segment);
            }
            counted();
        }
        return head != null;
    }

    private void remove(Segment segment) {
        segments.remove(segment.first);
        bytes -= segment.bytes;
        total -= segment.entries;
        if (segment == headSegment) {
            headSegment = null;
            head = null;
            shipped = 0;
        }
        try {
            Files.deleteIfExists(segment.file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the spool segment " + segment.file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a segment whole: a temporary file, synced, moved into place, the folder synced. */
    private void write(Path file, List<Entry> entries) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileOutputStream stream = new FileOutputStream(temporary.toFile());
                Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8)) {
            for (Entry entry : entries) {
                out.write(json(entry));
                out.write('\n');
            }
            out.flush();
            stream.getFD().sync();
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can sync a folder; the rename is then as durable as the platform makes it.
        }
    }

    /**
     * @param bad receives the number of lines that could not be parsed
     * @throws IOException when the file cannot be read (nothing is assumed about its content then)
     */
    private static List<Entry> read(Path file, int[] bad) throws IOException {
        List<Entry> read = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(file.toFile()),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    read.add(entry(READER.readTree(line)));
                } catch (IOException | RuntimeException e) {
                    bad[0]++;
                }
            }
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
            if (entry.input() == Entry.Input.AUDIT_RECORD) {
                json.writeStringField("input", "audit");
            }
            if (entry.alarm() != null) {
                json.writeStringField("alarm", entry.alarm());
            }
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
        // Segments written before audit records were shipped have no input member: alarm events.
        Entry.Input input = "audit".equals(node.path("input").asText()) ? Entry.Input.AUDIT_RECORD
                : Entry.Input.ALARM_EVENT;
        boolean alarm = node.hasNonNull("alarm");
        if (!node.get("line").isTextual() || alarm && !node.get("alarm").isTextual()
                || !alarm && input == Entry.Input.ALARM_EVENT) {
            throw new IllegalArgumentException("not an entry");
        }
        return new Entry(node.get("n").asLong(), Collections.unmodifiableMap(stream), Entry.key(stream),
                Long.parseLong(node.get("ts").asText()), node.get("line").asText(),
                alarm ? node.get("alarm").asText() : null, node.hasNonNull("tag") ? node.get("tag").asText() : null,
                input);
    }
}
