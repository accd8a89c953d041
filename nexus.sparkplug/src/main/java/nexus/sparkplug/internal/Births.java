package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmService;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.TagInfo;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagValue;
import nexus.query.TagWatch;
import nexus.rma.RmaType;

/**
 * The edge node's birth certificate (NBIRTH), built from what its identity sees: every tag (listed
 * page by page, all pages from one registry version) and, when alarms are published, every alarm.
 * Metrics in order: {@code bdSeq}, {@code Node Control/Rebirth}, {@code _nexus/registry/version},
 * the tags in path order (alias = tag id), the alarms' states in name order. Metrics that are no tag
 * take the aliases after the largest tag id, in that order, so that a tag's alias is its id in
 * every birth. Stateless apart from its settings; thread-safe.
 */
final class Births {

    /** The most tags asked for in one page; the tag service may give fewer. */
    static final int PAGE = 1_000;

    private final Caller identity;
    private final int metricsMax;

    /**
     * @param identity   whose view of the namespace is published
     * @param metricsMax the most tags one birth carries ({@code edge.metrics.max})
     */
    private final List<String> notPublished;

    Births(Caller identity, int metricsMax) {
        this(identity, metricsMax, List.of());
    }

    /** @param notPublished path prefixes whose tags are left out of births ({@link EdgeSettings#notPublished}) */
    Births(Caller identity, int metricsMax, List<String> notPublished) {
        this.identity = identity;
        this.metricsMax = metricsMax;
        this.notPublished = List.copyOf(notPublished);
    }

    /**
     * The tags one birth publishes, as one registry version lists them.
     *
     * @param version the registry version every page came from
     * @param tags    the tags, in path order
     */
    record Namespace(long version, List<TagInfo> tags) {
        Namespace {
            tags = List.copyOf(tags);
        }

        List<String> paths() {
            return tags.stream().map(TagInfo::path).toList();
        }
    }

    /**
     * A birth ready to publish, and what the data that follows it needs.
     *
     * @param payload the NBIRTH (seq 0)
     * @param table   its metrics by name and alias: commands and data resolve here
     * @param tags    its tags, in birth order
     * @param values  the value each tag was born with, in the same order: what later changes are measured from
     */
    record Birth(Payload payload, MetricTable table, List<TagInfo> tags, List<TagValue> values) {
        Birth {
            tags = List.copyOf(tags);
            values = List.copyOf(values);
        }
    }

    /**
     * A birth and the watch over its tags, made from the same registry version.
     *
     * @param birth the birth
     * @param watch the watch over its tags, polled once (the birth's values came from that poll)
     */
    record Opened(Birth birth, TagWatch watch) {
    }

    /**
     * Reads a whole birth: the tags the identity sees, a watch over them whose first poll gives the
     * values, and the alarms. A new registry version served between the listing and the watch means
     * listing again (at most three times in all).
     *
     * @param alarms the alarm service, or {@code null} when alarms are not published
     * @return the birth and its watch; the caller closes the watch when the birth is over
     * @throws NexusException as {@link #list}, {@link TagService#watch}, {@link AlarmService#list} and
     *                        {@link #build}; CONFLICT when the registry version kept changing. The watch
     *                        is closed then.
     */
    Opened read(TagService tags, AlarmService alarms, int bdSeq, long now) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Namespace namespace = list(tags);
            TagWatch watch = tags.watch(identity, namespace.paths());
            try {
                List<TagReading> values = watch.poll();
                if (watch.registryVersion() == namespace.version()) {
                    List<Alarm> alarmList = alarms == null ? List.of() : alarms.list(identity, AlarmFilter.ALL);
                    return new Opened(build(namespace, byPath(values), alarmList, bdSeq, now), watch);
                }
                watch.close(); // a new version came between the listing and the watch: list again
            } catch (RuntimeException e) {
                watch.close();
                throw e;
            }
        }
        throw new NexusException(ErrorCode.CONFLICT, "the registry version kept changing while the birth was read:"
                + " tried again at the next publish interval");
    }

    /**
     * @return whether the registry version served now lists exactly the tags of a birth (same paths,
     *         types, places and metadata); {@code false} also when they cannot be listed
     * @param tags  the tag service, or {@code null}
     * @param table the birth's metrics
     */
    boolean sameTags(TagService tags, MetricTable table) {
        if (tags == null) {
            return false;
        }
        List<TagInfo> born = new ArrayList<>();
        for (MetricTable.Entry entry : table.entries()) {
            if (entry.tag() != null) {
                born.add(entry.tag());
            }
        }
        try {
            return list(tags).tags().equals(born);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean published(String path) {
        for (String prefix : notPublished) {
            if (path.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lists every tag the identity sees, all pages. A listing whose pages come from different
     * registry versions (a new version was served meanwhile) is started again, at most twice more.
     *
     * @throws NexusException as {@link TagService#list} (BACKEND_UNAVAILABLE, OVERLOADED, …); CONFLICT
     *                        when the registry kept changing; INVALID_ARGUMENT when the identity sees
     *                        more tags than {@code edge.metrics.max}
     */
    Namespace list(TagService tags) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Namespace listed = listOnce(tags);
            if (listed != null) {
                return listed;
            }
        }
        throw new NexusException(ErrorCode.CONFLICT, "the registry changed while its tags were listed for the birth,"
                + " three times: the birth is tried again at the next publish interval");
    }

    /** @return the namespace, or {@code null} when the pages did not all come from one registry version */
    private Namespace listOnce(TagService tags) {
        List<TagInfo> listed = new ArrayList<>();
        String cursor = null;
        long version = -1;
        do {
            TagPage page = tags.list(identity, "", cursor, PAGE);
            if (version == -1) {
                version = page.registryVersion();
            } else if (page.registryVersion() != version) {
                return null;
            }
            for (TagReading reading : page.items()) {
                if (reading.tag() != null && published(reading.tag().path())) {
                    listed.add(reading.tag()); // a listing answers tags only; a reading without one is no tag
                }
            }
            if (listed.size() > metricsMax) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "user '" + identity.user() + "' sees more than "
                        + metricsMax + " tags, more than one birth carries (edge.metrics.max): raise edge.metrics.max"
                        + " or narrow what edge.roles may read; the edge node stays unborn until then");
            }
            cursor = page.cursor();
        } while (cursor != null);
        return new Namespace(version, listed);
    }

    /**
     * Builds the NBIRTH.
     *
     * @param namespace the tags, as listed
     * @param values    their values now, by path (a watch's first poll); a tag without one is born null
     * @param alarms    the alarms to publish (empty when alarms are not published)
     * @param bdSeq     the session's bdSeq
     * @param now       the birth's timestamp, ms
     * @throws NexusException INVALID_ARGUMENT when a tag's type is none RMA Nexus knows, or a tag's
     *                        path is the name of a node metric (the birth would be ambiguous)
     */
    Birth build(Namespace namespace, Map<String, TagValue> values, List<Alarm> alarms, int bdSeq, long now) {
        long nextAlias = namespace.tags().stream().mapToLong(TagInfo::id).max().orElse(-1) + 1;
        Payload.Builder payload = Payload.newBuilder().setTimestamp(now).setSeq(0);
        MetricTable.Builder table = MetricTable.builder(namespace.version());
        payload.addMetrics(Payloads.bdSeq(bdSeq, now));

        long rebirth = nextAlias++;
        payload.addMetrics(Metric.newBuilder().setName(Payloads.REBIRTH).setAlias(rebirth).setTimestamp(now)
                .setDatatype(DataType.Boolean.getNumber()).setBooleanValue(false));
        table.add(new MetricTable.Entry(Payloads.REBIRTH, rebirth, DataType.Boolean, null));

        long version = nextAlias++;
        payload.addMetrics(Metric.newBuilder().setName(Payloads.REGISTRY_VERSION).setAlias(version).setTimestamp(now)
                .setDatatype(DataType.Int64.getNumber()).setLongValue(namespace.version()));
        table.add(new MetricTable.Entry(Payloads.REGISTRY_VERSION, version, DataType.Int64, null));

        List<TagValue> born = new ArrayList<>(namespace.tags().size());
        for (TagInfo tag : namespace.tags()) {
            DataType type = typeOf(tag);
            TagValue value = values.getOrDefault(tag.path(), TagReading.notInRegistry(tag.path()).value());
            payload.addMetrics(tagMetric(tag, type, value, now));
            table.add(new MetricTable.Entry(tag.path(), tag.id(), type, tag));
            born.add(value);
        }
        for (Alarm alarm : alarms) {
            long alias = nextAlias++;
            String name = Payloads.alarmState(alarm.name());
            Metric.Builder metric = Metric.newBuilder().setName(name).setAlias(alias).setTimestamp(now)
                    .setDatatype(DataType.String.getNumber()).setStringValue(alarm.state().name());
            payload.addMetrics(new Payloads.Properties().string("severity", alarm.definition().severity().name())
                    .string("tag", alarm.tag()).on(metric));
            table.add(new MetricTable.Entry(name, alias, DataType.String, null));
        }
        try {
            return new Birth(payload.build(), table.build(), namespace.tags(), born);
        } catch (IllegalArgumentException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the birth cannot be built: " + e.getMessage()
                    + " (a tag's path is also the name of a node or alarm metric): rename the tag");
        }
    }

    /** @return the values of a watch's poll by path */
    private static Map<String, TagValue> byPath(List<TagReading> readings) {
        Map<String, TagValue> values = new HashMap<>(readings.size() * 2);
        for (TagReading reading : readings) {
            values.put(reading.path(), reading.value());
        }
        return values;
    }

    private static DataType typeOf(TagInfo tag) {
        try {
            return DataTypes.of(RmaType.valueOf(tag.type()));
        } catch (IllegalArgumentException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "tag " + tag.path() + " has type '" + tag.type()
                    + "', which RMA Nexus does not publish: fix the registry");
        }
    }

    private static Metric.Builder tagMetric(TagInfo tag, DataType type, TagValue value, long now) {
        Metric.Builder metric = Metric.newBuilder().setName(tag.path()).setAlias(tag.id())
                .setDatatype(type.getNumber()).setTimestamp(Payloads.millis(value.timestamp(), now));
        Payloads.value(metric, type, value);
        Payloads.Properties properties = new Payloads.Properties().string("engUnit", tag.unit())
                .number("engLow", tag.engLow()).number("engHigh", tag.engHigh())
                .string("description", tag.description()).bool("writable", tag.writable());
        if (!value.quality().isGood()) {
            properties.string("quality", value.quality().name());
        }
        return properties.on(metric);
    }
}
