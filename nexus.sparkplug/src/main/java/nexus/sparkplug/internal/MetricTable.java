package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;

import nexus.query.TagInfo;

/**
 * The metrics of one birth certificate: name, alias and datatype of each, and for a tag its
 * metadata. Commands and data refer to metrics by name or alias; both are looked up here.
 * Immutable once built; thread-safe.
 */
final class MetricTable {

    /**
     * One metric of the birth.
     *
     * @param name  the metric name: the tag's path, {@code Node Control/Rebirth}, or an alarm metric's name
     * @param alias the alias the birth gave it
     * @param type  its Sparkplug datatype
     * @param tag   the tag it publishes, or {@code null} for node controls and alarm metrics
     */
    record Entry(String name, long alias, DataType type, TagInfo tag) {
    }

    private final long registryVersion;
    private final List<Entry> entries;
    private final Map<String, Entry> byName;
    private final Map<Long, Entry> byAlias;

    private MetricTable(long registryVersion, List<Entry> entries) {
        this.registryVersion = registryVersion;
        this.entries = Collections.unmodifiableList(entries);
        this.byName = new HashMap<>(entries.size() * 2);
        this.byAlias = new HashMap<>(entries.size() * 2);
        for (Entry entry : entries) {
            if (byName.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("metric name '" + entry.name() + "' is given twice");
            }
            if (byAlias.putIfAbsent(entry.alias(), entry) != null) {
                throw new IllegalArgumentException("alias " + entry.alias() + " is given twice");
            }
        }
    }

    /** @return an empty table: before the first birth */
    static MetricTable empty() {
        return new MetricTable(0, List.of());
    }

    static Builder builder(long registryVersion) {
        return new Builder(registryVersion);
    }

    /** @return the registry version the birth was built from */
    long registryVersion() {
        return registryVersion;
    }

    /** @return every metric, in birth order */
    List<Entry> entries() {
        return entries;
    }

    /** @return the metric with this name, or {@code null} */
    Entry byName(String name) {
        return byName.get(name);
    }

    /** @return the metric with this alias, or {@code null} */
    Entry byAlias(long alias) {
        return byAlias.get(alias);
    }

    int size() {
        return entries.size();
    }

    /** Collects the entries of a birth; not thread-safe. */
    static final class Builder {
        private final long registryVersion;
        private final List<Entry> entries = new ArrayList<>();

        private Builder(long registryVersion) {
            this.registryVersion = registryVersion;
        }

        Builder add(Entry entry) {
            entries.add(entry);
            return this;
        }

        /** @throws IllegalArgumentException when a name or alias is given twice */
        MetricTable build() {
            return new MetricTable(registryVersion, new ArrayList<>(entries));
        }
    }
}
