package nexus.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;

import nexus.core.Caller;

/**
 * Consistent snapshots of every tag a caller may read, and their restore for commissioning; the one
 * implementation behind {@code GET /api/v1/snapshot}, {@code POST /api/v1/snapshot/restore},
 * {@code nexus:snapshot} and any later front-end (the formats are produced and checked here, so each
 * front-end only moves bytes). docs/snapshot.md describes the formats. Thread-safe.
 *
 * <p><b>Export</b> streams to a byte sink rather than handing out an iterator of blocks: the file's
 * framing (header, trailer, CSV neutralisation) is then one implementation, and a front-end cannot
 * forget the trailer that makes a cut-off file detectable. It writes, in tag id order, every tag the
 * caller sees ({@link nexus.core.Access#sees}), read a page of tags at a time (10,000) in the read
 * planner's merged blocks: each block is one consistent read of its bank, and each tag's line carries
 * its block's bank, bank sequence and write time, so tags with the same bank and sequence come from
 * one state of the bank. Memory stays constant whatever the number of tags. The header and trailer
 * carry the registry version and the <i>layout hash</i>: SHA-256 over each tag's path, bank name, byte
 * offset, bit offset, type and length, in path order, which identifies the layout across restarts
 * (registry version numbers restart with each run). Each page takes a slot of the query engine's
 * admission control like a listing: under overload the export stops with {@code OVERLOADED}; what was
 * written by then has no trailer.
 *
 * <p><b>Restore</b> reads a whole snapshot (at most {@link #RESTORE_MAX_BYTES} bytes and {@link #RESTORE_MAX_TAGS} tags) and checks all of
 * it before anything is written: a file without its trailer, or whose trailer's count differs, is
 * refused as truncated; a value not of its tag's type is refused; a layout hash other than the one of
 * the snapshot's tags now is refused unless {@link RestoreOptions#mapByPath()}; a change the caller may
 * not write ({@link nexus.core.Access#refuseWrite}: {@code FORBIDDEN}) refuses the whole restore, while
 * tags that are not writable are skipped. A dry run answers the diff and a confirmation that holds the
 * registry version and what it saw: the sequences of the banks holding the tags to write and a digest
 * of those tags' current values. The real run presents the confirmation and is refused with {@code CONFLICT}
 * when the registry was replaced or any tag to be written changed since; bank sequences are not
 * compared, because banks of a live plant move all the time. It then writes the changes, a chunk at a
 * time, through {@link TagService#write(Caller, java.util.List)} as the caller, so each write is
 * checked and audited there, and stops at the first chunk with a failure.
 *
 * @since 2.4
 */
@ProviderType
public interface SnapshotService {

    /**
     * The largest snapshot a restore reads: 32 MiB. A tag's JSON line is about 130 bytes (a CSV row
     * about 65), so a snapshot of 1,000,000 tags is about 130 MB (65 MB as CSV): a restore holds the
     * whole file while it checks it, so larger ones are restored in parts, snapshots of narrower read
     * scopes.
     */
    long RESTORE_MAX_BYTES = 32L << 20;

    /** The most tags a restore reads (each costs a few hundred bytes of heap while it is checked). */
    int RESTORE_MAX_TAGS = 250_000;

    /**
     * Writes a snapshot of every tag the caller sees. Blocks while it reads and writes; does not close
     * the sink.
     *
     * @return what the trailer says
     * @throws IOException               when the sink fails (the export stops there)
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE without a registry, OVERLOADED when a
     *                                   page is refused admission (the file then ends without a trailer)
     */
    SnapshotSummary export(Caller caller, SnapshotFormat format, OutputStream sink) throws IOException;

    /**
     * Checks a snapshot against the tags now and, unless a dry run, writes what differs.
     *
     * @param snapshot a snapshot in either format (told apart by its first byte); read to its end, not closed
     * @return the diff (a dry run), or what was written and not (a real run)
     * @throws IOException               when the source fails
     * @throws nexus.core.NexusException INVALID_ARGUMENT (not a snapshot, truncated, a value of the
     *                                   wrong type, another layout, a real run without a confirmation),
     *                                   PAYLOAD_TOO_LARGE (more than {@link #RESTORE_MAX_BYTES} or
     *                                   {@link #RESTORE_MAX_TAGS}),
     *                                   FORBIDDEN (a change the caller may not write), CONFLICT (the
     *                                   registry or a tag to write changed since the dry run),
     *                                   BACKEND_UNAVAILABLE (no registry), OVERLOADED (another restore
     *                                   is running: a node runs one at a time, and this one's source is
     *                                   not read); nothing is written then
     */
    RestoreResult restore(Caller caller, InputStream snapshot, RestoreOptions options) throws IOException;
}
