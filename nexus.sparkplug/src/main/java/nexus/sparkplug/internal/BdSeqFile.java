package nexus.sparkplug.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The birth/death sequence number (bdSeq, 0–255) of the edge node's MQTT sessions, kept across
 * restarts in {@code <home>/data/sparkplug.bdseq} (the last session's number, in decimal). A host
 * application matches an NDEATH to its NBIRTH by bdSeq, so a restarted node must not start again
 * at a number a host still holds for its previous session: the first session after a start takes
 * one more than the number in the file (0 without the file). The file is replaced atomically
 * (written beside it, then moved over it), so a crash leaves the old number or the new one, never
 * a torn one. Without a home (tests, or a node without {@code nexus.home}) the number lives in
 * memory only. Not thread-safe: the Sparkplug thread owns it.
 */
final class BdSeqFile {

    private static final Logger LOG = LoggerFactory.getLogger(BdSeqFile.class);

    /** Where the file lives under the node's home. */
    static final String RELATIVE = "data/sparkplug.bdseq";

    private final Path file;
    /** The last session's bdSeq; -1 before the first one (so that it is 0). */
    private int last;
    private String lastProblem;

    /** @param home the node's home folder, or {@code null}: the number is not persisted */
    BdSeqFile(Path home) {
        this.file = home == null ? null : home.resolve(RELATIVE);
        this.last = read();
    }

    /** @return the bdSeq of the next session, without taking it */
    int peek() {
        return (last + 1) & 0xFF;
    }

    /** @return the bdSeq of a new session: one more than the last (255 wraps to 0), persisted before it is used */
    int next() {
        last = peek();
        write(last);
        return last;
    }

    private int read() {
        if (file == null) {
            return -1;
        }
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            int value = Integer.parseInt(text);
            if (value < 0 || value > 255) {
                LOG.warn("{} holds {}, not a bdSeq (0-255): the first session takes bdSeq 0", file, value);
                return -1;
            }
            return value;
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | NumberFormatException e) {
            LOG.warn("{} cannot be read as a bdSeq ({}): the first session takes bdSeq 0", file, e.getMessage());
            return -1;
        }
    }

    private void write(int value) {
        if (file == null) {
            return;
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(temporary, value + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            lastProblem = null;
        } catch (IOException e) {
            String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!problem.equals(lastProblem)) {
                lastProblem = problem;
                LOG.warn("bdSeq {} could not be kept in {} ({}); sessions go on numbering in memory, but after a restart"
                        + " a host may see an old bdSeq again: check that the folder is writable", value, file, problem);
            }
        }
    }
}
