package nexus.audit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a start finds in the journal folder, read before the first append: the newest file is read
 * line by line and every line checked ({@link AuditLine#sequence}). Damaged lines after the last
 * good one — a record torn by a crash (kill -9, power loss) — were never answered: they are cut
 * off, so that the file ends with its last good record. A damaged line followed by good ones is
 * damage on disk: it is reported and left as it is, never read as a record. Older files were
 * complete when the journal moved on from them and are not read.
 *
 * <p>The next sequence is one past the highest good sequence, and never below the newest file's
 * first sequence (its name), so sequences never go backwards across restarts even when the newest
 * file holds no good record.
 *
 * @param file          the newest file, or null when the folder holds none
 * @param size          the newest file's size after the cut: where the next record goes
 * @param lastSequence  the highest good sequence found, 0 when none
 * @param nextSequence  the sequence the next record gets
 * @param cutBytes      bytes cut off the end of the newest file
 * @param cutLines      damaged lines (the torn last one included) in what was cut off
 * @param damagedLines  damaged lines followed by good ones: kept as they are, not read
 * @param damaged       where the first {@value #SHOWN} of them are: {@code audit-….jsonl line n (byte b)}
 */
record Recovery(Path file, long size, long lastSequence, long nextSequence, long cutBytes, int cutLines,
        int damagedLines, List<String> damaged) {

    /** How many damaged places a recovery names; the rest are counted. */
    static final int SHOWN = 10;

    Recovery {
        damaged = List.copyOf(damaged);
    }

    /** @return an empty folder's recovery: nothing found, the first record gets sequence 1 */
    static Recovery empty() {
        return new Recovery(null, 0, 0, 1, 0, 0, 0, List.of());
    }

    /**
     * Reads the folder's newest journal file and cuts off its torn tail (forced to disk).
     *
     * @throws IOException when the folder or the file cannot be read, or the cut cannot be made
     */
    static Recovery of(Path dir) throws IOException {
        TreeMap<Long, Path> files = JournalFiles.list(dir);
        if (files.isEmpty()) {
            return empty();
        }
        Map.Entry<Long, Path> newest = files.lastEntry();
        Path file = newest.getValue();
        Scan scan = scan(file);
        long size = Files.size(file);
        long cut = size - scan.goodEnd;
        if (cut > 0) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(scan.goodEnd);
                raf.getFD().sync();
            }
        }
        long next = Math.max(scan.lastSequence + 1, newest.getKey());
        return new Recovery(file, scan.goodEnd, scan.lastSequence, next, cut, scan.badAfterGood, scan.damagedLines,
                scan.damaged);
    }

    /** Reads a file's lines; {@code goodEnd} is the offset just past the last good line. */
    private static Scan scan(Path file) throws IOException {
        Scan scan = new Scan();
        byte[] line = new byte[4096];
        long count = 0; // bytes of the line being read; at most MAX_BYTES of them are kept in line
        long offset = 0; // where the line being read starts
        long number = 1;
        byte[] chunk = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(chunk)) != -1) {
                for (int i = 0; i < read; i++) {
                    byte b = chunk[i];
                    if (b != '\n') {
                        if (count < AuditLine.MAX_BYTES) {
                            if (count == line.length) {
                                line = Arrays.copyOf(line, line.length * 2);
                            }
                            line[(int) count] = b;
                        }
                        count++;
                        continue;
                    }
                    long sequence = count > AuditLine.MAX_BYTES ? -1 : AuditLine.sequence(line, 0, (int) count);
                    long end = offset + count + 1;
                    scan.line(sequence, offset, end, number, file);
                    offset = end;
                    number++;
                    count = 0;
                }
            }
        }
        if (count > 0) {
            scan.badAfterGood++; // a last line without its end: torn
        }
        return scan;
    }

    /** The running state of a scan. */
    private static final class Scan {
        long goodEnd;
        long lastSequence;
        /** Damaged lines since the last good one: kept damage if a good line follows, else cut. */
        int badAfterGood;
        final List<String> pending = new ArrayList<>();
        int damagedLines;
        final List<String> damaged = new ArrayList<>();

        void line(long sequence, long offset, long end, long number, Path file) {
            if (sequence < 0) {
                badAfterGood++;
                if (damaged.size() + pending.size() < SHOWN) {
                    pending.add(file.getFileName() + " line " + number + " (byte " + offset + ")");
                }
                return;
            }
            damagedLines += badAfterGood; // good lines follow them: damage in the middle
            damaged.addAll(pending);
            pending.clear();
            badAfterGood = 0;
            goodEnd = end;
            lastSequence = Math.max(lastSequence, sequence);
        }
    }
}
