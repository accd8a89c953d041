package nexus.query;

import java.util.Locale;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The formats of a snapshot ({@link SnapshotService}); docs/snapshot.md shows each with an example.
 *
 * @since 2.4
 */
public enum SnapshotFormat {
    /**
     * JSON lines ({@code application/x-ndjson}): a header line, one line per tag, a trailer line with
     * the count and the layout hash. The default.
     */
    JSONL("jsonl", "application/x-ndjson"),
    /**
     * CSV ({@code text/csv}, RFC 4180): the same columns, the header and trailer as rows whose first
     * cell is {@code #nexus-snapshot} and {@code #end}; text cells that a spreadsheet would run as a
     * formula are neutralised with a leading {@code '}.
     */
    CSV("csv", "text/csv");

    private final String wireName;
    private final String mediaType;

    SnapshotFormat(String wireName, String mediaType) {
        this.wireName = wireName;
        this.mediaType = mediaType;
    }

    /** @return the name front-ends take and show: {@code jsonl}, {@code csv} */
    public String wireName() {
        return wireName;
    }

    /** @return the media type of a file in this format */
    public String mediaType() {
        return mediaType;
    }

    /**
     * @param name a {@link #wireName()}, any case; {@code null} or empty for the default
     * @throws NexusException INVALID_ARGUMENT for another name
     */
    public static SnapshotFormat of(String name) {
        if (name == null || name.isEmpty()) {
            return JSONL;
        }
        for (SnapshotFormat format : values()) {
            if (format.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new NexusException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' is no snapshot format: jsonl (the default) or csv");
    }
}
