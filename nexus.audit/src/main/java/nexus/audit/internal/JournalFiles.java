package nexus.audit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The journal's files in its folder: {@code audit-<first sequence>.jsonl}, the number zero-padded to
 * twelve digits so that a listing sorts them, oldest first. Other files in the folder are left alone.
 */
final class JournalFiles {

    private static final String PREFIX = "audit-";
    private static final String SUFFIX = ".jsonl";

    private JournalFiles() {
    }

    /** @return the name of the file whose first record has this sequence */
    static String name(long firstSequence) {
        return String.format("%s%012d%s", PREFIX, firstSequence, SUFFIX);
    }

    /** @return the journal's files by their first sequence, oldest first (empty when the folder is missing) */
    static TreeMap<Long, Path> list(Path dir) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path file : (Iterable<Path>) listing::iterator) {
                long first = firstSequence(file.getFileName().toString());
                if (first > 0 && Files.isRegularFile(file)) {
                    files.put(first, file);
                }
            }
        }
        return files;
    }

    /** @return the first sequence a journal file's name says, or -1 when the name is not a journal file's */
    static long firstSequence(String name) {
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return -1;
        }
        String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Deletes the oldest files while more than {@code keep} are left.
     *
     * @return the files deleted
     * @throws IOException when one cannot be deleted (those before it are gone)
     */
    static int prune(Path dir, int keep) throws IOException {
        TreeMap<Long, Path> files = list(dir);
        int deleted = 0;
        while (files.size() > keep) {
            Map.Entry<Long, Path> oldest = files.pollFirstEntry();
            Files.deleteIfExists(oldest.getValue());
            deleted++;
        }
        return deleted;
    }
}
