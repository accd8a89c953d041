package nexus.loki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a spool folder holds, read straight from the files as a restart would find them: only whole
 * segments count (a segment is written to a temporary file and moved into place), never what a
 * sink keeps in memory.
 */
final class OnDisk {

    private OnDisk() {
    }

    /** @return the entries in the folder's whole segments (0 when the folder does not exist) */
    static long entries(Path spoolDir) {
        if (!Files.isDirectory(spoolDir)) {
            return 0;
        }
        long lines = 0;
        try (Stream<Path> files = Files.list(spoolDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".spool")).toList()) {
                lines += lines(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    private static long lines(Path segment) throws IOException {
        try {
            List<String> all = Files.readAllLines(segment);
            return all.stream().filter(line -> !line.isBlank()).count();
        } catch (NoSuchFileException e) {
            return 0; // shipped and deleted meanwhile
        }
    }
}
