package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.registry.Contribution;
import nexus.registry.Problem;
import nexus.registry.RemoteWriter;
import nexus.registry.Tag;
import nexus.registry.TagRegistry;
import nexus.registry.ValidationReport;
import nexus.rma.Allocation;

/**
 * The host application's part of the namespace: every remote edge node's current layout as one
 * {@link Contribution} of owner {@value #OWNER} — one bank per node and per device that mirrors at
 * least one metric, its tags at {@code <prefix>/<group>/<edge node>/<metric>} and
 * {@code <prefix>/<group>/<edge node>/<device>/<metric>} — handed to
 * {@link TagRegistry#contribute}.
 *
 * <p>Contributing blocks while the registry writes and validates a version, so it never runs on the
 * Sparkplug thread: {@link #offer} only records the latest state and schedules one build on the build
 * executor. Offers that arrive before that build starts coalesce into it (a burst of births is one
 * version, of the latest state); builds never overlap. A state already contributed to the registry
 * service in use is not contributed again; a registry service that replaced it is given it. A report with problems (e.g. a mirrored path a
 * local tag already has: that tag is left out, the rest served) is logged once per node and its
 * problems counted ({@link Counters#mirrorProblems}, per build).
 *
 * <p>A mirrored tag is writable when its birth says so (property {@code writable} true; absent: not
 * writable); writes to it go to its node ({@link RemoteWrites}), never into the mirror.
 */
final class MirrorContribution {

    /** The contribution's owner. */
    static final String OWNER = "sparkplug";

    private static final Logger LOG = LoggerFactory.getLogger(MirrorContribution.class);

    /**
     * One node's or device's mirror: its layout, the memory holding the values, and who writes its tags
     * at the node (or {@code null}).
     *
     * @param deviceId the device whose metrics these are, or {@code null} for the node's own
     */
    record Mirror(String groupId, String edgeNodeId, String deviceId, MirrorLayout layout, MirrorMemory memory,
            RemoteWriter writer) {

        /** A node's own mirror. */
        Mirror(String groupId, String edgeNodeId, MirrorLayout layout, MirrorMemory memory, RemoteWriter writer) {
            this(groupId, edgeNodeId, null, layout, memory, writer);
        }

        /** @return {@code group/edge node} or {@code group/edge node/device} */
        String id() {
            return groupId + "/" + edgeNodeId + (deviceId == null ? "" : "/" + deviceId);
        }

        /** @return the tag path of one of its metrics */
        String path(HostSettings settings, String metric) {
            return settings.path(groupId, edgeNodeId, deviceId == null ? metric : deviceId + "/" + metric);
        }
    }

    private final HostSettings settings;
    private final Supplier<TagRegistry> registry;
    private final Executor executor;
    private final Counters counters;
    private final OnceLog logged = new OnceLog();
    private final AtomicReference<List<Mirror>> latest = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Object lock = new Object();
    /** What the registry was last given; guarded by {@link #lock}. */
    private List<Mirror> contributed;
    /** The registry service that took it (another one has not seen it); guarded by {@link #lock}. */
    private TagRegistry contributedTo;
    /** Guarded by {@link #lock}. */
    private boolean stopped;

    MirrorContribution(HostSettings settings, Supplier<TagRegistry> registry, Executor executor, Counters counters) {
        this.settings = settings;
        this.registry = registry;
        this.executor = executor;
        this.counters = counters;
    }

    /**
     * The mirrors may have changed: a build of this state (or a later one) follows on the build
     * executor. Banks are contributed in group and edge node order, whatever the order given. Any thread.
     */
    void offer(List<Mirror> mirrors) {
        List<Mirror> sorted = new ArrayList<>(mirrors);
        sorted.sort(Comparator.comparing(Mirror::groupId).thenComparing(Mirror::edgeNodeId)
                .thenComparing(Mirror::deviceId, Comparator.nullsFirst(Comparator.naturalOrder())));
        latest.set(List.copyOf(sorted));
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::build);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.warn("Sparkplug host: the mirror of {} nodes is not contributed: the build executor refused it ({})",
                        mirrors.size(), e.toString());
            }
        }
    }

    /** Withdraws the contribution (blocks while the registry serves a version without it); no build follows. */
    void stop() {
        synchronized (lock) {
            stopped = true;
            if (contributed != null) {
                TagRegistry tags = registry.get();
                if (tags != null) {
                    tags.withdraw(OWNER);
                }
                contributed = null;
                contributedTo = null;
            }
        }
    }

    /** Contributes the latest state; runs on the build executor. */
    private void build() {
        scheduled.set(false);
        synchronized (lock) {
            List<Mirror> mirrors = latest.get();
            TagRegistry tags = registry.get();
            if (stopped || mirrors == null || mirrors.equals(contributed) && tags == contributedTo) {
                return;
            }
            if (mirrors.isEmpty() && (contributed == null || tags != contributedTo)) {
                return; // nothing mirrored and nothing served to this registry: a version without news is churn
            }
            if (tags == null) {
                if (logged.first("no registry")) {
                    LOG.warn("Sparkplug host: the mirror of {} nodes is not served: no tag registry is running;"
                            + " it is offered again with the next birth", mirrors.size());
                }
                return;
            }
            try {
                ValidationReport report = tags.contribute(contribution(settings, mirrors));
                boolean served = report.problems().stream()
                        .allMatch(p -> p.kind() == nexus.registry.Problem.Kind.DUPLICATE_PATH);
                // a refused contribution (anything but paths left out) is offered again with the next birth
                contributed = served ? mirrors : null;
                contributedTo = served ? tags : null;
                if (!report.valid()) {
                    counters.mirrorProblems.add(report.problems().size());
                    logProblems(mirrors, report);
                }
            } catch (RuntimeException e) {
                if (logged.first("refused " + e.getMessage())) {
                    LOG.warn("Sparkplug host: the registry did not take the mirror of {} nodes ({}); it is offered"
                            + " again with the next birth", mirrors.size(), e.getMessage());
                }
            }
        }
    }

    /** @return the contribution of these mirrors: banks in order, each node's tags after its bank */
    static Contribution contribution(HostSettings settings, List<Mirror> mirrors) {
        List<Contribution.ContributedBank> banks = new ArrayList<>();
        List<Tag> tags = new ArrayList<>();
        for (Mirror mirror : mirrors) {
            if (mirror.memory() == null || mirror.layout().slots().isEmpty()) {
                continue;
            }
            int bank = banks.size();
            banks.add(new Contribution.ContributedBank(mirror.memory().bankName(), mirror.memory().size(),
                    "sparkplug " + mirror.id(), mirror.memory(), 0, mirror.writer()));
            for (MirrorLayout.Slot slot : mirror.layout().slots()) {
                tags.add(tag(settings, mirror, slot, bank));
            }
        }
        return new Contribution(OWNER, banks, tags);
    }

    private static Tag tag(HostSettings settings, Mirror mirror, MirrorLayout.Slot slot, int bank) {
        MirrorLayout.Shape shape = slot.shape();
        Allocation at = slot.allocation();
        Map<String, String> properties = new HashMap<>();
        properties.put("sparkplug_group", mirror.groupId());
        properties.put("sparkplug_edge", mirror.edgeNodeId());
        if (mirror.deviceId() != null) {
            properties.put("sparkplug_device", mirror.deviceId());
        }
        if (shape.writable() != null) {
            properties.put("sparkplug_writable", shape.writable().toString());
        }
        return new Tag(0, mirror.path(settings, shape.name()),
                new Allocation(bank, at.byteOffset(), at.bitOffset(), at.type(), at.length()), shape.unit(),
                shape.description(), Boolean.TRUE.equals(shape.writable()), shape.engLow(), shape.engHigh(), properties);
    }

    /** Logs the problems once per mirror: each is the problem of the mirror whose path (the longest) it names. */
    private void logProblems(List<Mirror> mirrors, ValidationReport report) {
        Map<String, List<Problem>> byMirror = new LinkedHashMap<>();
        for (Problem problem : report.problems()) {
            String owner = null;
            int longest = -1;
            for (Mirror mirror : mirrors) {
                String under = mirror.path(settings, "");
                if (under.length() > longest && (problem.message().contains(under)
                        || problem.where().stream().anyMatch(w -> w.contains(under)))) {
                    owner = mirror.id();
                    longest = under.length();
                }
            }
            if (owner != null) {
                byMirror.computeIfAbsent(owner, k -> new ArrayList<>()).add(problem);
            }
        }
        for (Map.Entry<String, List<Problem>> mine : byMirror.entrySet()) {
            if (logged.first("problems " + mine.getKey())) {
                LOG.warn("Sparkplug host: the registry reports {} problem(s) with the mirror of {}: the tags named"
                        + " are not served, the rest is (logged once per node or device; fix the local registry or the"
                        + " edge's metric names). First: {}", mine.getValue().size(), mine.getKey(), mine.getValue().get(0));
            }
        }
        if (byMirror.isEmpty() && logged.first("problems")) {
            LOG.warn("Sparkplug host: the registry reports {} problem(s) with the mirror of {} nodes (logged once): {}",
                    report.problems().size(), mirrors.size(), report.problems().get(0));
        }
    }
}
