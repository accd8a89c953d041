package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.TagInfo;
import nexus.query.TagFolder;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagValue;
import nexus.query.TagWatch;
import nexus.query.TagWrite;
import nexus.query.WriteResult;
import nexus.rma.RmaType;

/**
 * A tag service for commands: get and write only, refusing writes the way the real one does (its
 * codes, in its order: TAG_NOT_FOUND, FORBIDDEN, NOT_WRITABLE, INVALID_ARGUMENT for a value out of
 * the type's or the engineering range). Records the writes it carried out and every caller. Its
 * own audit is not modelled: a refusal it answers must not show up in the test's audit trail.
 */
final class WriteTags implements TagService {

    /** The bank time of every value set before a test, ns: 1,700,000,000,000 ms. */
    static final long WRITTEN_NS = 1_700_000_000_000L * 1_000_000;

    private final Map<String, TagInfo> tags = new HashMap<>();
    private final Map<String, TagValue> values = new HashMap<>();
    final Set<String> forbidden = new HashSet<>();
    final List<TagWrite> written = new ArrayList<>();
    final List<Caller> callers = new ArrayList<>();
    RuntimeException failure;
    private long nextWriteNs = WRITTEN_NS + 1_000_000_000L;

    /** Adds a writable tag with id {@code id}, no range, and its value now. */
    WriteTags add(long id, String path, RmaType type, Object value) {
        return add(new TagInfo(id, path, type.name(), "bank0", 0, 0, type.size(), null, null, true, null, null, null),
                value);
    }

    WriteTags add(TagInfo tag, Object value) {
        tags.put(tag.path(), tag);
        values.put(tag.path(), new TagValue(value, Quality.GOOD, WRITTEN_NS));
        return this;
    }

    TagInfo tag(String path) {
        return tags.get(path);
    }

    Object value(String path) {
        return values.get(path).value();
    }

    void quality(String path, Quality quality) {
        values.put(path, new TagValue(null, quality, values.get(path).timestamp()));
    }

    @Override
    public TagReading get(Caller caller, String path) {
        TagInfo tag = tags.get(path);
        if (tag == null) {
            throw new NexusException(ErrorCode.TAG_NOT_FOUND, "no tag has the path " + path);
        }
        return new TagReading(tag, values.get(path));
    }

    @Override
    public TagReading write(Caller caller, TagWrite write) {
        callers.add(caller);
        if (failure != null) {
            throw failure;
        }
        TagInfo tag = tags.get(write.path());
        if (tag == null) {
            throw new NexusException(ErrorCode.TAG_NOT_FOUND, "no tag has the path " + write.path());
        }
        if (forbidden.contains(write.path())) {
            throw new NexusException(ErrorCode.FORBIDDEN, "writing tags needs the permission 'write', which the roles "
                    + caller.rolesText() + " do not grant");
        }
        if (!tag.writable()) {
            throw new NexusException(ErrorCode.NOT_WRITABLE, "tag " + write.path() + " is not writable");
        }
        checkValue(tag, write.value());
        written.add(write);
        values.put(write.path(), new TagValue(write.value(), Quality.GOOD, nextWriteNs += 1_000_000_000L));
        return get(caller, write.path());
    }

    private static void checkValue(TagInfo tag, Object value) {
        RmaType type = RmaType.valueOf(tag.type());
        if (value == null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "no value given (null)");
        }
        if (type.isInteger() && value instanceof Long v && (v < type.minValue() || v > type.maxValue())) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, v + " is outside " + type + "'s range "
                    + type.minValue() + ".." + type.maxValue());
        }
        if (value instanceof Number n && (tag.engLow() != null && n.doubleValue() < tag.engLow()
                || tag.engHigh() != null && n.doubleValue() > tag.engHigh())) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the value " + n + " of " + tag.path()
                    + " is outside its engineering range " + tag.engLow() + ".." + tag.engHigh());
        }
    }

    @Override
    public TagWrite check(Caller caller, TagWrite write) {
        throw new UnsupportedOperationException("not checked here");
    }

    @Override
    public TagFolder browse(Caller caller, String prefix, int limit) {
        throw new UnsupportedOperationException("not browsed here");
    }

    @Override
    public TagPage list(Caller caller, String prefix, String cursor, int limit) {
        throw new UnsupportedOperationException("commands do not list");
    }

    @Override
    public List<TagReading> read(Caller caller, List<String> paths) {
        throw new UnsupportedOperationException("commands do not read many");
    }

    @Override
    public List<TagReading> readIds(Caller caller, long[] ids) {
        throw new UnsupportedOperationException("commands do not read by id");
    }

    @Override
    public TagWatch watch(Caller caller, List<String> paths) {
        throw new UnsupportedOperationException("commands do not watch");
    }

    @Override
    public List<WriteResult> write(Caller caller, List<TagWrite> writes) {
        throw new UnsupportedOperationException("commands write one at a time");
    }
}
