package nexus.sparkplug.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import nexus.registry.Contribution;
import nexus.registry.Problem;
import nexus.registry.Registry;
import nexus.registry.RegistryStatus;
import nexus.registry.Tag;
import nexus.registry.TagRegistry;
import nexus.registry.ValidationReport;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;
import nexus.rma.ValueCodec;

/**
 * A host application under test: the messages it publishes, the contributions it hands the registry,
 * its build executor (run on demand), and a clock the test moves.
 */
final class HostFixture {

    /** One published message. */
    record Published(String topic, byte[] payload, int qos, boolean retained) {
    }

    /** A registry that records what it is given and answers a report the test chose. */
    static final class RecordingRegistry implements TagRegistry {
        final List<Contribution> contributions = new ArrayList<>();
        final List<String> withdrawn = new ArrayList<>();
        List<Problem> problems = List.of();

        @Override
        public synchronized ValidationReport contribute(Contribution contribution) {
            contributions.add(contribution);
            return new ValidationReport("contribution " + contribution.owner(), contribution.tags().size(), 0, problems, 0);
        }

        @Override
        public synchronized void withdraw(String owner) {
            withdrawn.add(owner);
        }

        synchronized Contribution last() {
            return contributions.get(contributions.size() - 1);
        }

        @Override
        public Registry current() {
            throw new UnsupportedOperationException("not used by the host");
        }

        @Override
        public RegistryStatus status() {
            throw new UnsupportedOperationException("not used by the host");
        }

        @Override
        public Optional<String> writesRefused() {
            return Optional.empty();
        }

        @Override
        public String confirmFallback(String user) {
            throw new UnsupportedOperationException("not used by the host");
        }

        @Override
        public ValidationReport validate(Path registryFile) {
            throw new UnsupportedOperationException("not used by the host");
        }

        @Override
        public ValidationReport importList(Path list, Path target) {
            throw new UnsupportedOperationException("not used by the host");
        }

        @Override
        public void exportList(Path registryFile, Path list) {
            throw new UnsupportedOperationException("not used by the host");
        }
    }

    /** A clock the test sets. */
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_800_000_000_000L);

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }

    /** Runs builds when the test says so, as the component's build executor would later. */
    static final class Builds implements Executor {
        final Queue<Runnable> queued = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            queued.add(task);
        }

        /** @return how many builds ran */
        int runAll() {
            int ran = 0;
            Runnable task;
            while ((task = poll()) != null) {
                task.run();
                ran++;
            }
            return ran;
        }

        private synchronized Runnable poll() {
            return queued.poll();
        }
    }

    final List<Published> published = new ArrayList<>();
    final RecordingRegistry registry = new RecordingRegistry();
    final Builds builds = new Builds();
    /** The Sparkplug thread's other tasks (writes to mirrored tags being published), run when the test says so. */
    final Builds sparkplug = new Builds();
    final TestClock clock = new TestClock();
    final Counters counters = new Counters();
    final HostApplication host;
    /** Whether the transport takes messages (else it drops them, as a disconnected link does). */
    volatile boolean connected = true;
    /** The registry the host finds now; {@code null}: none is running. */
    volatile TagRegistry served = registry;

    HostFixture() {
        this(HostSettings.DEFAULT_STRING_SIZE);
    }

    HostFixture(int stringSize) {
        this(new HostSettings("scada", List.of("plant"), "sites", stringSize));
    }

    HostFixture(HostSettings settings) {
        Transport transport = (topic, payload, qos, retained) -> connected
                && published.add(new Published(topic, payload, qos, retained));
        host = new HostApplication(settings, transport, new Topics(""), counters, () -> served, builds, sparkplug, clock);
    }

    /** Births, then runs the contribution build it scheduled. */
    void birth(TahuEdge edge, byte[] payload) {
        host.message(edge.topic("NBIRTH"), payload);
        builds.runAll();
    }

    /** @return the NCMD messages published to the edge */
    List<Published> commandsTo(TahuEdge edge) {
        return published.stream().filter(p -> p.topic().equals(edge.topic("NCMD"))).toList();
    }

    /** @return the contributed tag with this path */
    Tag tag(String path) {
        return registry.last().tags().stream().filter(t -> t.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no contributed tag " + path + " in " + registry.last().tags()));
    }

    /** @return the memory of the contributed bank a tag lives in */
    RmaBackend memoryOf(Tag tag) {
        return registry.last().banks().get(tag.allocation().bank()).memory();
    }

    /** @return a tag's value read through its contributed memory, with the read's status in {@code read} */
    static Object value(Contribution contribution, Tag tag, BlockRead read) {
        Contribution.ContributedBank bank = contribution.banks().get(tag.allocation().bank());
        bank.memory().read(read.target(bank.memoryBank(), tag.allocation().byteOffset(), tag.allocation().length()));
        if (!read.hasData()) {
            throw new AssertionError("reading " + tag.path() + " failed: " + read.status());
        }
        ByteBuffer buffer = read.buffer().order(ByteOrder.LITTLE_ENDIAN);
        return ValueCodec.decode(buffer, 0, tag.allocation().type(), tag.allocation().bitOffset(), tag.allocation().length());
    }

    /** @return a tag's value now, read through the last contribution */
    Object value(String path) {
        return value(registry.last(), tag(path), new BlockRead(4096));
    }
}
