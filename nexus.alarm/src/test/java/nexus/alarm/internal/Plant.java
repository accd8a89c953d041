package nexus.alarm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import nexus.alarm.ActionRequest;
import nexus.alarm.AlarmEvent;
import nexus.core.AccessPolicy;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.registry.AlarmDefinition;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.registry.ValidationReport;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/**
 * A small plant for engine tests: a real registry file, a heap RMA backend that counts its reads
 * and writes, a clock the test moves, the events the engine publishes and an audit trail in memory.
 */
final class Plant implements AutoCloseable {

    static final String LIST = """
            {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 16}],
             "tags": [{"path": "plant1/line1/tt101", "type": "FLOAT32", "bank": "process", "writable": true},
                      {"path": "plant1/line1/lt101", "type": "FLOAT32", "bank": "process", "writable": true},
                      {"path": "plant1/line2/p1/fault", "type": "BOOL", "bank": "process"},
                      {"path": "plant1/line2/mode", "type": "INT16", "bank": "process"}],
             "alarms": [
               {"name": "plant1/line1/tt101/hi", "tag": "plant1/line1/tt101", "condition": "HI", "limit": 120,
                "deadband": 2, "severity": "HIGH", "maxShelveSeconds": 3600, "message": "Reactor inlet hot"},
               {"name": "plant1/line1/tt101/hihi", "tag": "plant1/line1/tt101", "condition": "HIHI", "limit": 140,
                "severity": "CRITICAL", "maxShelveSeconds": 600},
               {"name": "plant1/line1/lt101/lo", "tag": "plant1/line1/lt101", "condition": "LO", "limit": 10,
                "severity": "MEDIUM", "latching": true, "maxShelveSeconds": 3600},
               {"name": "plant1/line2/p1/fault", "tag": "plant1/line2/p1/fault", "condition": "TRUE", "severity": "HIGH"},
               {"name": "plant1/line2/mode/manual", "tag": "plant1/line2/mode", "condition": "EQ", "limit": 3,
                "severity": "LOW", "requiresAck": false}
             ]}
            """;

    static final String TT101_HI = "plant1/line1/tt101/hi";
    static final String TT101_HIHI = "plant1/line1/tt101/hihi";
    static final String LT101_LO = "plant1/line1/lt101/lo";
    static final String P1_FAULT = "plant1/line2/p1/fault";
    static final String MODE = "plant1/line2/mode/manual";

    final Path dir;
    final RegistryFiles.Opened registry;
    final List<AlarmEvent> events = new ArrayList<>();
    /** The audit trail the engines of this plant append to; null: none runs. */
    volatile AuditTrail audit = new MemoryAuditTrail();
    /** The access policy; null: none registered. */
    volatile AccessPolicy policy;
    volatile Registry served;
    volatile RmaBackend backend;
    long now = Instant.parse("2026-11-26T08:00:00Z").toEpochMilli();
    final InstantSource clock = () -> Instant.ofEpochMilli(now);

    Plant(Path dir) {
        this(dir, LIST);
    }

    Plant(Path dir, String list) {
        this.dir = dir;
        this.registry = open(dir, "plant", list);
        this.served = registry;
        this.backend = new CountingBackend(RmaBackends.heap(registry.banks()));
        // A healthy plant: the tank is half full (a level of 0 would be a LO alarm).
        write("plant1/line1/lt101", 50.0f);
    }

    static RegistryFiles.Opened open(Path dir, String name, String list) {
        try {
            Path json = dir.resolve(name + ".json");
            Files.writeString(json, list);
            Path db = dir.resolve(name + ".db");
            ValidationReport report = RegistryFiles.importList(json, db);
            if (!report.valid()) {
                throw new IllegalStateException(report.toString());
            }
            return RegistryFiles.open(db, 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The snapshot and journal on a disk the test fills up, retrying on the plant's clock. */
    SnapshotStore store(FullDisk disk) {
        return new SnapshotStore(dir.resolve("alarms.snapshot"), disk, Journal.currentBootId(), () -> now);
    }

    AlarmEngine engine(SnapshotStore snapshots) {
        return engine(AlarmEngine.Settings.DEFAULTS, snapshots);
    }

    AlarmEngine engine(AlarmEngine.Settings settings, SnapshotStore snapshots) {
        return engine(settings, snapshots, actionAudit());
    }

    AlarmEngine engine(AlarmEngine.Settings settings, SnapshotStore snapshots, ActionAudit actionAudit) {
        return new AlarmEngine(settings, clock, () -> now, () -> served, () -> backend, events::add, snapshots,
                actionAudit);
    }

    /** Permission and audit as the component wires them: this plant's trail and policy, as they are at each action. */
    ActionAudit actionAudit() {
        return new ActionAudit(() -> audit, () -> policy);
    }

    /** An action request by {@code user} (null or blank: refused by {@link Caller} as it is built). */
    static ActionRequest by(String user, String comment) {
        return ActionRequest.of(Caller.of(user, "test"), comment);
    }

    /** A shelve request for a time. */
    static ActionRequest shelveBy(String user, String reason, Duration duration) {
        return new ActionRequest(Caller.of(user, "test"), reason, duration, false);
    }

    /** A one-shot shelve request. */
    static ActionRequest oneShotBy(String user, String reason) {
        return new ActionRequest(Caller.of(user, "test"), reason, null, true);
    }

    Plant advance(long millis) {
        now += millis;
        return this;
    }

    void write(String tag, Object value) {
        backend.write(registry.tag(tag).orElseThrow().allocation(), value);
    }

    AlarmDefinition alarm(String name) {
        return registry.alarms().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    /** @return the alarm's flag byte as RMA holds it */
    int flags(String name) {
        return flags(backend, name);
    }

    int flags(RmaBackend in, String name) {
        Allocation flags = alarm(name).flags();
        BlockRead read = new BlockRead(1).target(flags.bank(), flags.byteOffset(), 1);
        in.read(read);
        if (!read.ok()) {
            throw new IllegalStateException("flag byte of " + name + " not readable: " + read.status());
        }
        return read.data()[0] & 0xFF;
    }

    CountingBackend counting() {
        return (CountingBackend) backend;
    }

    @Override
    public void close() {
        registry.close();
    }

    /** A registry served as another version (what a reload looks like to the engine). */
    static Registry asVersion(Registry registry, long version) {
        return new Registry() {
            @Override
            public long version() {
                return version;
            }

            @Override
            public String file() {
                return registry.file();
            }

            @Override
            public List<Bank> banks() {
                return registry.banks();
            }

            @Override
            public AllocationIndex index() {
                return registry.index();
            }

            @Override
            public List<AlarmDefinition> alarms() {
                return registry.alarms();
            }

            @Override
            public Optional<Tag> tag(String path) {
                return registry.tag(path);
            }

            @Override
            public Optional<Tag> tag(long id) {
                return registry.tag(id);
            }

            @Override
            public List<Tag> tags(long[] ids) {
                return registry.tags(ids);
            }

            @Override
            public List<Tag> tags(String prefix, String afterPath, int limit) {
                return registry.tags(prefix, afterPath, limit);
            }

            @Override
            public List<Tag> withProperty(String key) {
                return registry.withProperty(key);
            }

            @Override
            public nexus.registry.RegistryCopy leaseCopy() {
                return registry.leaseCopy();
            }
        };
    }

    /** A backend that hands every call to another one; tests override what they watch or change. */
    static class Delegating implements RmaBackend {
        final RmaBackend heap;

        Delegating(RmaBackend heap) {
            this.heap = heap;
        }

        @Override
        public String name() {
            return "test-" + heap.name();
        }

        @Override
        public List<Bank> banks() {
            return heap.banks();
        }

        @Override
        public void read(BlockRead block) {
            heap.read(block);
        }

        @Override
        public void read(BlockRead[] blocks, int count) {
            for (int i = 0; i < count; i++) {
                read(blocks[i]);
            }
        }

        @Override
        public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
            heap.write(bank, offset, source, sourceOffset, length);
        }

        @Override
        public void writeBit(int bank, int byteOffset, int bit, boolean value) {
            heap.writeBit(bank, byteOffset, bit, value);
        }

        @Override
        public long sequence(int bank) {
            return heap.sequence(bank);
        }

        @Override
        public long lastWriteNanos(int bank) {
            return heap.lastWriteNanos(bank);
        }
    }

    /** A heap backend that counts batched reads and range writes. */
    static final class CountingBackend extends Delegating {
        final AtomicInteger batchedReads = new AtomicInteger();
        final AtomicInteger blocksRead = new AtomicInteger();
        final List<int[]> writes = new ArrayList<>();

        CountingBackend(RmaBackend heap) {
            super(heap);
        }

        @Override
        public void read(BlockRead[] blocks, int count) {
            batchedReads.incrementAndGet();
            blocksRead.addAndGet(count);
            heap.read(blocks, count);
        }

        @Override
        public synchronized void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
            writes.add(new int[] { bank, offset, length });
            heap.write(bank, offset, source, sourceOffset, length);
        }

        synchronized void clearWrites() {
            writes.clear();
        }
    }
}
