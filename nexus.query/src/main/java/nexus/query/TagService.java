package nexus.query;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import nexus.core.Caller;

/**
 * The one road to a tag for every front-end (HTTP, shell, streams, federation, the AI adapter):
 * look up, list, read many, watch, and write, with every rule in one place. Thread-safe.
 *
 * <p>Reads use the same merged, consistent block reads and the same quality rules as
 * {@link QueryService}: one consistent read per block, quality per item; a missing backend or bank
 * never fails a read. Listings and reads of many tags take a slot of the query engine's admission
 * control while they run, like a query: under overload they are refused with {@code OVERLOADED}
 * (with a retry hint) rather than queued without bound. {@link #get} of one tag takes none: its
 * work is bounded, and single-tag reads keep flowing while queries are refused. Without a registry every call answers
 * {@code BACKEND_UNAVAILABLE}. Every path given (to get, read, watch, a write and each write of a
 * batch) must be a tag path, segments separated by single slashes: an empty path, one ending with a
 * slash or holding two in a row is refused with {@code INVALID_ARGUMENT}
 * ({@code '<path>' is not a tag path: …}), the same whichever front-end it came through.
 *
 * <p>Every call names its {@link Caller}, and sees only what the caller's {@link nexus.core.Access}
 * reads: a tag outside it is answered exactly like a missing one ({@code TAG_NOT_FOUND},
 * {@link Quality#BAD_NOT_IN_REGISTRY}, left out of a listing). A caller without the {@code read}
 * permission sees no tag.
 *
 * <p>A write is checked here and only here, in this order, and each refusal has one code and one
 * message whichever front-end it came through: {@code INVALID_ARGUMENT} (the path is no tag path),
 * {@code TAG_NOT_FOUND} (no tag has the path, or the caller
 * does not see it), then the one write decision, {@link nexus.core.Access#refuseWrite}:
 * {@code FORBIDDEN} (the caller's roles do not grant {@code write}, the tag is outside their write
 * scope, or the registry names the roles that may write it and the caller holds none of them) or
 * {@code NOT_WRITABLE} (the tag is not marked writable), {@code INVALID_ARGUMENT} (the value is not of the tag's type, or
 * outside the type's or the engineering range), {@code BACKEND_UNAVAILABLE} (writes are refused by
 * the registry, no RMA backend, no audit trail runs, or the audit trail cannot take the record).
 * Every write, carried out or refused, is one {@link nexus.core.AuditRecord} appended to the
 * {@link nexus.core.AuditTrail} before the answer; a write to be carried out is recorded before RMA
 * is written, and when that append fails nothing is written.
 *
 * <p>A tag whose bank has a {@linkplain nexus.registry.Registry#remoteWriter remote writer} (a
 * federation host's mirror of an edge node's tag) is checked and audited the same way, then written by
 * the node that owns it; that node's refusal comes back with its code and reason, and a write it did not
 * answer in time is {@code OUTCOME_UNKNOWN} (it may or may not have been carried out). Such a write
 * blocks until the answer, at most the writer's configured time.
 *
 * @since 2.0
 */
@ProviderType
public interface TagService {

    /**
     * @return the tag with this path, its properties and its value now
     * @throws nexus.core.NexusException TAG_NOT_FOUND when no tag has the path, or the caller does
     *                                   not see it (the same message)
     */
    TagReading get(Caller caller, String path);

    /**
     * Lists tags whose path starts with a prefix, in path order, with their values (properties are
     * left out).
     *
     * @param prefix the path prefix; empty for all
     * @param cursor {@code null} for the first page, else the cursor of the page before
     * @param limit  the most tags in the page (≥ 1); the service may give fewer (it caps a page at
     *               the query engine's {@code rows.max}), a cursor then leads on
     * @return the page; its cursor leads on by path, in whatever registry version is served then
     * @throws nexus.core.NexusException INVALID_ARGUMENT for a cursor this service did not give out
     *                                   for the same prefix, or a limit below 1
     */
    TagPage list(Caller caller, String prefix, String cursor, int limit);

    /**
     * Checks a write without making it, for a confirmation that shows exactly what a write would do
     * (a dry run): the same refusals as {@link #write(Caller, TagWrite)} — TAG_NOT_FOUND,
     * FORBIDDEN, NOT_WRITABLE, and INVALID_ARGUMENT for a value the tag's type or engineering range
     * refuses — but nothing is written and nothing is audited (nothing was attempted). A write made
     * after a check may still be refused: the tag, the role or the node may change in between.
     *
     * @return the write as it would be made: the value as the tag's type holds it
     * @since 2.5
     */
    TagWrite check(Caller caller, TagWrite write);

    /**
     * One level of the namespace under a prefix, for tree browsers: the next path segment of every
     * tag under it the caller may read, each with how many such tags it holds. Counted over every
     * tag under the prefix (not a page of them), as the caller's read scope allows; no values are
     * read.
     *
     * @param prefix the folder's path, {@code ""} (or null) for the roots; a trailing slash is ignored
     * @param limit  the most children to answer (≥ 1); the service may give fewer (it caps them at the
     *               query engine's {@code rows.max}), {@link TagFolder#complete()} then says so
     * @throws nexus.core.NexusException INVALID_ARGUMENT for a limit below 1 or a prefix that is no
     *                                   path; QUERY_TIMEOUT when counting takes longer than the
     *                                   query time limit
     * @since 2.5
     */
    TagFolder browse(Caller caller, String prefix, int limit);

    /**
     * Reads many tags by path.
     *
     * @return one reading per path, in order; properties are left out, as in a listing ({@link #get}
     *         gives them); a path no tag has is answered for itself with
     *         {@link Quality#BAD_NOT_IN_REGISTRY} (a bulk read never fails for one tag)
     */
    List<TagReading> read(Caller caller, List<String> paths);

    /**
     * Reads many tags by id in the registry version served now.
     *
     * @return one reading per id, in order; properties are left out, as in a listing ({@link #get}
     *         gives them); an id no tag has is answered with a {@code null} path and tag and
     *         {@link Quality#BAD_NOT_IN_REGISTRY}
     */
    List<TagReading> readIds(Caller caller, long[] ids);

    /**
     * Starts watching tags by path, as the caller sees them now and in every later registry
     * version (a tag that leaves the caller's view is answered as {@link Quality#BAD_NOT_IN_REGISTRY}
     * from the next poll on). Polls take no admission slot: a poll costs a sequence check per
     * bank and reads only banks that moved. A path no tag has now is answered at the first poll
     * with {@link Quality#BAD_NOT_IN_REGISTRY}, and watched for: when a registry version gives it
     * a tag, its value follows.
     */
    TagWatch watch(Caller caller, List<String> paths);

    /**
     * Writes one value, checked and audited as described above.
     *
     * @return the tag with its value read back after the write
     */
    TagReading write(Caller caller, TagWrite write);

    /**
     * Writes many values, each checked, written and audited on its own (a refused one does not stop
     * the others), in order.
     *
     * @return one result per write, in order
     */
    List<WriteResult> write(Caller caller, List<TagWrite> writes);
}
