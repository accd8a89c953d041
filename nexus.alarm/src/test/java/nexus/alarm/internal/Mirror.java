package nexus.alarm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import nexus.core.AlarmCondition;
import nexus.core.Severity;
import nexus.registry.AlarmDefinition;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.internal.RmaBackends;

/**
 * A federation host's mirror for the alarm tests: one contributed bank whose values live in a heap
 * backend of their own (the contributor's memory, not the node's), registry versions of the
 * {@link Plant}'s file with that bank and an alarm on a contributed tag, resolved as the loader
 * resolves it, and the version's memory: a view that reads the contributed bank in the mirror's
 * backend and every other bank in the node's, marking the mirror's reads STALE while it is not
 * current.
 */
final class Mirror {

    static final String TAG = "sites/plant/nexus1/tank/level";
    static final String ALARM = "sites/plant/nexus1/tank/level/hi";
    static final String SOURCE = "sparkplug plant/nexus1";

    /** How a version resolves the contributed alarm. */
    enum Resolution {
        /** the tag is there, a FLOAT32 */
        RESOLVED,
        /** the version has no such tag (the edge node's last birth did not carry it) */
        NO_TAG,
        /** the tag is there but a STRING: a HI alarm cannot watch it */
        WRONG_TYPE
    }

    /** The contributor's memory: bank 0 mirrors the edge node's tags. */
    final RmaBackend memory = RmaBackends.heap(List.of(new Bank(0, "plant_nexus1", 16)));
    /** Whether the mirror is current; false: its reads are STALE. */
    volatile boolean current = true;
    /** How many views {@link Registry#memory} handed out. */
    int views;

    private final Plant plant;

    Mirror(Plant plant) {
        this.plant = plant;
    }

    /** The edge node sent a value. */
    void send(float level) {
        memory.write(new Allocation(0, 0, 0, RmaType.FLOAT32, 4), level);
    }

    /** @return the version's id of the contributed bank: after the file's */
    int mirrorBank() {
        return plant.registry.banks().size();
    }

    /** @return the id the version gives the contributed tag: after the file's */
    long tagId() {
        AllocationIndex index = plant.registry.index();
        return index.id(index.size() - 1) + 1;
    }

    /** @return the contributed alarm's flag byte: a free byte of the file's alarm bank */
    Allocation flags() {
        Allocation file = plant.alarm(Plant.MODE).flags();
        return new Allocation(file.bank(), 10, 0, file.type(), file.length());
    }

    /** @return the contributed alarm as the loader resolves it in a version */
    AlarmDefinition alarm(Resolution resolution, long version) {
        long id = resolution == Resolution.NO_TAG ? AlarmDefinition.NO_TAG : tagId();
        String problem = switch (resolution) {
            case RESOLVED -> null;
            case NO_TAG -> "registry version " + version + " has no tag " + TAG + ": the last birth of " + SOURCE
                    + " did not carry it";
            case WRONG_TYPE -> "tag " + TAG + " is a STRING in registry version " + version + ": a HI alarm watches"
                    + " a number";
        };
        return new AlarmDefinition(100, ALARM, id, AlarmCondition.HI, 90.0, 0, Severity.HIGH, true, false, 0, 0, 3600,
                "Remote tank high", flags(), TAG, true, problem);
    }

    /** @return a registry version: the plant's file, the mirror's bank, and the contributed tag and alarm */
    Registry version(long version, Resolution resolution) {
        Registry file = plant.registry;
        List<Bank> banks = new ArrayList<>(file.banks());
        banks.add(new Bank(mirrorBank(), "mirror_plant_nexus1", 16));
        AllocationIndex fileIndex = file.index();
        AllocationIndex.Builder index = AllocationIndex.builder(fileIndex.size() + 1);
        for (int p = 0; p < fileIndex.size(); p++) {
            index.add(fileIndex.id(p), fileIndex.allocation(p));
        }
        if (resolution != Resolution.NO_TAG) {
            index.add(tagId(), resolution == Resolution.RESOLVED ? new Allocation(mirrorBank(), 0, 0, RmaType.FLOAT32, 4)
                    : new Allocation(mirrorBank(), 0, 0, RmaType.STRING, 8));
        }
        List<AlarmDefinition> alarms = new ArrayList<>(file.alarms());
        alarms.add(alarm(resolution, version));
        AllocationIndex built = index.build();
        Registry base = Plant.asVersion(file, version);
        Mirror mirror = this;
        return new Registry() {
            @Override
            public long version() {
                return version;
            }

            @Override
            public String file() {
                return base.file();
            }

            @Override
            public List<Bank> banks() {
                return banks;
            }

            @Override
            public AllocationIndex index() {
                return built;
            }

            @Override
            public List<AlarmDefinition> alarms() {
                return alarms;
            }

            @Override
            public Optional<Tag> tag(String path) {
                return base.tag(path);
            }

            @Override
            public Optional<Tag> tag(long id) {
                return base.tag(id);
            }

            @Override
            public List<Tag> tags(long[] ids) {
                return base.tags(ids);
            }

            @Override
            public List<Tag> tags(String prefix, String afterPath, int limit) {
                return base.tags(prefix, afterPath, limit);
            }

            @Override
            public List<Tag> withProperty(String key) {
                return base.withProperty(key);
            }

            @Override
            public nexus.registry.RegistryCopy leaseCopy() {
                return base.leaseCopy();
            }

            @Override
            public RmaBackend memory(RmaBackend local) {
                mirror.views++;
                return local == null ? null : new Layered(local); // a new view each time: never the node's backend
            }

            @Override
            public Optional<String> bankSource(int bank) {
                return bank == mirrorBank() ? Optional.of(SOURCE) : Optional.empty();
            }
        };
    }

    /** The version's memory: the contributed bank in the mirror's backend, every other one in the node's. */
    private final class Layered extends Plant.Delegating {

        Layered(RmaBackend local) {
            super(local);
        }

        @Override
        public List<Bank> banks() {
            List<Bank> banks = new ArrayList<>(heap.banks());
            banks.add(new Bank(mirrorBank(), "mirror_plant_nexus1", 16));
            return banks;
        }

        @Override
        public void read(BlockRead block) {
            if (block.bank() != mirrorBank()) {
                heap.read(block);
                return;
            }
            int offset = block.offset();
            int length = block.length();
            memory.read(block.target(0, offset, length));
            long sequence = block.sequence();
            long written = block.lastWriteNanos();
            boolean ok = block.ok();
            block.target(mirrorBank(), offset, length);
            if (ok) {
                block.complete(sequence, written);
                if (!current) {
                    block.markStale();
                }
            } else {
                block.fail(nexus.rma.ReadStatus.UNAVAILABLE);
            }
        }

        @Override
        public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
            if (bank == mirrorBank()) {
                throw new IllegalStateException("the alarm manager wrote to the mirror's bank: flags live in the file's");
            }
            heap.write(bank, offset, source, sourceOffset, length);
        }
    }
}
