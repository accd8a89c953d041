package nexus.security.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import nexus.registry.AlarmDefinition;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;
import nexus.registry.RegistryCopy;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.RmaType;

/**
 * A registry version held in a list, for the write roles audit: it reads tags only through
 * {@link #tags(String, String, int)}, which pages here as the registry's own does (path order).
 */
final class ListRegistry implements Registry {

    private final long version;
    private final List<Tag> tags;
    /** How many pages were read, to show that large versions are read in pages. */
    int pagesRead;

    ListRegistry(long version, List<Tag> tags) {
        this.version = version;
        this.tags = tags.stream().sorted(Comparator.comparing(Tag::path)).toList();
    }

    /** @return a tag at a made-up address */
    static Tag tag(String path, boolean writable, String... writeRoles) {
        return new Tag(path.hashCode(), path, Allocation.of(0, 0, RmaType.FLOAT64), null, null, writable, null, null,
                null, Set.of(writeRoles));
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public String file() {
        return "etc/registry.db";
    }

    @Override
    public List<Tag> tags(String prefix, String afterPath, int limit) {
        pagesRead++;
        List<Tag> page = new ArrayList<>();
        for (Tag tag : tags) {
            if (tag.path().startsWith(prefix) && (afterPath == null || tag.path().compareTo(afterPath) > 0)
                    && page.size() < limit) {
                page.add(tag);
            }
        }
        return page;
    }

    @Override
    public List<Bank> banks() {
        throw new UnsupportedOperationException("not read by the write roles audit");
    }

    @Override
    public AllocationIndex index() {
        throw new UnsupportedOperationException("not read by the write roles audit");
    }

    @Override
    public List<AlarmDefinition> alarms() {
        throw new UnsupportedOperationException("not read by the write roles audit");
    }

    @Override
    public Optional<Tag> tag(String path) {
        throw new UnsupportedOperationException("not read by the write roles audit");
    }

    @Override
    public Optional<Tag> tag(long id) {
        throw new UnsupportedOperationException("not read by the write roles audit");
    }

    @Override
    public List<Tag> tags(long[] ids) {
        throw new UnsupportedOperationException("not read by the write roles audit");
    }

    @Override
    public List<Tag> withProperty(String key) {
        throw new UnsupportedOperationException("not read by the write roles audit");
    }

    @Override
    public RegistryCopy leaseCopy() {
        throw new UnsupportedOperationException("not read by the write roles audit");
    }
}
