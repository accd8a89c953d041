package nexus.query.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import nexus.core.Access;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.query.Quality;
import nexus.query.TagInfo;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagValue;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * Tag reads of the tag service, plain Java: metadata from the served registry's typed lookups,
 * values through the query engine's block path (one consistent read per merged block, quality per
 * tag). Listings and reads of many tags hold an admission slot, like a query, for as long as they
 * run; a single tag's read does not: it is one lookup on the registry's own pool and one block read,
 * bounded work that must keep flowing while queries are refused for overload. Every read sees only
 * the tags the caller's {@link Access} reads ({@link Access#sees}): a tag outside is answered exactly
 * as a missing one, and a caller that sees everything pays nothing for the check. Thread-safe.
 */
final class TagReads {

    /** Missing paths or ids a TAG_NOT_FOUND message names; the rest are counted. */
    private static final int NAMED = 10;

    /** Tags a scoped listing asks the registry for at once while it skips the ones the caller does not see. */
    private static final int SCAN = 512;

    private final QueryEngine engine;
    private final TagSources sources;

    TagReads(QueryEngine engine, TagSources sources) {
        this.engine = engine;
        this.sources = sources;
    }

    /** @throws NexusException TAG_NOT_FOUND when no tag has the path or the caller does not see it: one message */
    TagReading get(Access access, String path) {
        checked(path);
        Registry registry = sources.registry().current();
        Tag tag = registry.tag(path).filter(t -> access.sees(t.path())).orElseThrow(() -> notFound(path));
        return new TagReading(info(registry, tag), value(registry.memory(sources.backend()), tag.allocation()));
    }

    /**
     * One page of the tags the caller sees: a page is as full as the limit allows whenever more
     * visible tags follow (tags the caller does not see are skipped, not counted), and its cursor
     * names the page's last visible path, so it leads on in any later version and scope.
     */
    TagPage list(Access access, String prefix, String cursor, int limit) {
        String from = prefix == null ? "" : prefix;
        if (limit < 1) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "limit is " + limit + ": a page holds at least 1 tag");
        }
        String after = cursor == null ? null : TagCursor.after(cursor, from);
        int size = Math.min(limit, engine.limits().maxRows());
        try (Admission.Ticket slot = engine.admit()) {
            Registry registry = sources.registry().current();
            List<Tag> tags = visible(access, registry, from, after, size + 1);
            boolean more = tags.size() > size;
            List<Tag> page = more ? tags.subList(0, size) : tags;
            List<TagReading> items = readings(registry, page);
            return new TagPage(items, more ? TagCursor.encode(from, page.get(size - 1).path()) : null, registry.version());
        }
    }

    /**
     * @return up to {@code wanted} tags under the prefix after {@code after} that the caller sees, in
     *         path order: the registry's pages are read on past the tags it does not see
     */
    private static List<Tag> visible(Access access, Registry registry, String prefix, String after, int wanted) {
        if (access.seesAll()) {
            return registry.tags(prefix, after, wanted);
        }
        List<Tag> visible = new ArrayList<>(Math.min(wanted, SCAN));
        if (!access.may(Permission.READ) || access.read().isEmpty()) {
            return visible;
        }
        int chunk = Math.max(wanted, SCAN);
        for (String range : ranges(access.read(), prefix)) {
            String from = after;
            while (visible.size() < wanted) {
                List<Tag> batch = registry.tags(range, from, chunk);
                for (Tag tag : batch) {
                    if (access.sees(tag.path()) && visible.size() < wanted) {
                        visible.add(tag);
                    }
                }
                if (batch.size() < chunk) {
                    break;
                }
                from = batch.get(batch.size() - 1).path();
            }
            if (visible.size() == wanted) {
                break;
            }
        }
        return visible;
    }

    /**
     * The parts of the registry a scoped listing under {@code prefix} reads: for each glob, the
     * literal text before its first wildcard (without the slash before a {@code **}, which matches
     * no segment too), narrowed to the prefix; none inside another, in the registry's path order
     * (UTF-8 bytes). Paths starting with different ones of them never interleave, so reading them
     * one after the other reads the tags in path order, and a viewer of one area does not make the
     * node read the whole namespace for every page.
     */
    static List<String> ranges(PathScope scope, String prefix) {
        List<String> starts = new ArrayList<>();
        for (String glob : scope.globs()) {
            String start = literalStart(glob);
            if (start.startsWith(prefix)) {
                starts.add(start);
            } else if (prefix.startsWith(start)) {
                starts.add(prefix);
            }
        }
        starts.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        List<String> ranges = new ArrayList<>();
        for (String start : starts) {
            // sorted, the starts within one range follow it directly
            if (ranges.isEmpty() || !start.startsWith(ranges.get(ranges.size() - 1))) {
                ranges.add(start);
            }
        }
        return ranges;
    }

    private static String literalStart(String glob) {
        int wildcard = 0;
        while (wildcard < glob.length() && glob.charAt(wildcard) != '*' && glob.charAt(wildcard) != '?') {
            wildcard++;
        }
        boolean anySegments = glob.startsWith("**", wildcard) && wildcard > 0;
        return glob.substring(0, anySegments ? wildcard - 1 : wildcard);
    }

    /** A path no tag has, or one the caller does not see, is answered alike: BAD_NOT_IN_REGISTRY. */
    List<TagReading> read(Access access, List<String> paths) {
        paths.forEach(TagReads::checked);
        try (Admission.Ticket slot = engine.admit()) {
            Registry registry = sources.registry().current();
            List<Tag> tags = new ArrayList<>(paths.size());
            for (String path : paths) {
                // as by ids and in a listing: properties are left out (get gives them)
                tags.add(registry.tag(path).filter(t -> access.sees(t.path())).map(TagReads::withoutProperties).orElse(null));
            }
            List<TagReading> readings = readings(registry, tags);
            for (int i = 0; i < readings.size(); i++) {
                if (readings.get(i) == null) {
                    readings.set(i, TagReading.notInRegistry(paths.get(i)));
                }
            }
            return readings;
        }
    }

    /** An id no tag has, or whose tag the caller does not see, is answered alike: null path and tag, BAD_NOT_IN_REGISTRY. */
    List<TagReading> readIds(Access access, long[] ids) {
        try (Admission.Ticket slot = engine.admit()) {
            Registry registry = sources.registry().current();
            List<Tag> tags = registry.tags(ids);
            if (!access.seesAll()) {
                tags = new ArrayList<>(tags);
                tags.replaceAll(tag -> tag != null && access.sees(tag.path()) ? tag : null);
            }
            List<TagReading> readings = readings(registry, tags);
            for (int i = 0; i < readings.size(); i++) {
                if (readings.get(i) == null) {
                    readings.set(i, TagReading.notInRegistry(null));
                }
            }
            return readings;
        }
    }

    /** @return the tags with their values, read together; {@code null} where the tag is {@code null} */
    List<TagReading> readings(Registry registry, List<Tag> tags) {
        List<Tag> known = tags.stream().filter(Objects::nonNull).toList();
        List<TagValue> values = values(registry.memory(sources.backend()), known.stream().map(Tag::allocation).toList());
        List<TagReading> readings = new ArrayList<>(tags.size());
        int next = 0;
        for (Tag tag : tags) {
            readings.add(tag == null ? null : new TagReading(info(registry, tag), values.get(next++)));
        }
        return readings;
    }

    /** @return one value, outside admission (a write's value before and after) */
    TagValue value(RmaBackend backend, Allocation allocation) {
        return engine.read(backend, List.of(allocation)).get(0);
    }

    /** @return the values at these allocations, one consistent read per merged block */
    List<TagValue> values(RmaBackend backend, List<Allocation> allocations) {
        return allocations.isEmpty() ? List.of() : engine.read(backend, allocations);
    }

    private static Tag withoutProperties(Tag tag) {
        return new Tag(tag.id(), tag.path(), tag.allocation(), tag.unit(), tag.description(), tag.writable(), tag.engLow(),
                tag.engHigh(), null);
    }

    /** The tag as front-ends show it; the bank by name. */
    static TagInfo info(Registry registry, Tag tag) {
        Allocation a = tag.allocation();
        return new TagInfo(tag.id(), tag.path(), a.type().name(), bankName(registry, a.bank()), a.byteOffset(), a.bitOffset(), a.length(),
                tag.unit(), tag.description(), tag.writable(), tag.engLow(), tag.engHigh(), tag.properties());
    }

    /** @return the name of the bank with this id (ids need not be 0, 1, 2, …), or the id when none has it */
    static String bankName(Registry registry, int id) {
        List<Bank> banks = registry.banks();
        if (id >= 0 && id < banks.size() && banks.get(id).id() == id) {
            return banks.get(id).name(); // the common layout: ids in list order from 0
        }
        for (Bank bank : banks) {
            if (bank.id() == id) {
                return bank.name();
            }
        }
        return String.valueOf(id);
    }

    /**
     * The one rule of a tag path, whichever front-end gave it and whatever the call (get, read, watch,
     * a write or each write of a batch): segments separated by single slashes.
     *
     * @return the path
     * @throws NexusException INVALID_ARGUMENT for an empty path, one that ends with a slash or holds two in a row
     */
    static String checked(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.endsWith("/") || path.contains("//")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT,
                    "'" + path + "' is not a tag path: segments separated by single slashes, e.g. plant1/line2/tt101");
        }
        return path;
    }

    /** The one TAG_NOT_FOUND message for a path, whichever front-end asked. */
    static NexusException notFound(String path) {
        return new NexusException(ErrorCode.TAG_NOT_FOUND, "no tag has the path " + path);
    }

    /** A value no read was made for: the tag left the registry. */
    static TagValue notInRegistry() {
        return new TagValue(null, Quality.BAD_NOT_IN_REGISTRY, 0);
    }

    private static String named(List<String> missing) {
        String named = String.join(", ", missing.subList(0, Math.min(NAMED, missing.size())));
        return missing.size() > NAMED ? named + " and " + (missing.size() - NAMED) + " more" : named;
    }
}
