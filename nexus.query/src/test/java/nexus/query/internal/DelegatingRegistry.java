package nexus.query.internal;

import java.util.List;
import java.util.Optional;

import nexus.registry.AlarmDefinition;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;
import nexus.registry.RegistryCopy;
import nexus.registry.Tag;
import nexus.rma.Bank;

/** A registry that answers as another one, under a version of its own; tests override what they change. */
class DelegatingRegistry implements Registry {

    final Registry served;
    private final long version;

    DelegatingRegistry(Registry served, long version) {
        this.served = served;
        this.version = version;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public String file() {
        return served.file();
    }

    @Override
    public List<Bank> banks() {
        return served.banks();
    }

    @Override
    public AllocationIndex index() {
        return served.index();
    }

    @Override
    public List<AlarmDefinition> alarms() {
        return served.alarms();
    }

    @Override
    public Optional<Tag> tag(String path) {
        return served.tag(path);
    }

    @Override
    public Optional<Tag> tag(long id) {
        return served.tag(id);
    }

    @Override
    public List<Tag> tags(long[] ids) {
        return served.tags(ids);
    }

    @Override
    public List<Tag> tags(String prefix, String afterPath, int limit) {
        return served.tags(prefix, afterPath, limit);
    }

    @Override
    public List<Tag> withProperty(String key) {
        return served.withProperty(key);
    }

    @Override
    public RegistryCopy leaseCopy() {
        return served.leaseCopy();
    }
}
