package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Contribution;
import nexus.registry.Contribution.ContributedBank;
import nexus.registry.Registry;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;
import nexus.rma.internal.RmaBackends;

/** A version's memory: the file's banks in the node's backend, contributed ones where their contributor keeps them. */
class LayeredMemoryTest {

    @TempDir
    Path dir;

    private ContributionFixture plant;
    private RegistryService service;
    /** The node's own backend, with the file's banks. */
    private final RmaBackend local = RmaBackends.heap(List.of(new Bank(0, "process", 1024), new Bank(1, "alarms", 64)));

    @BeforeEach
    void serve() {
        plant = new ContributionFixture(dir);
        service = plant.service(false);
        service.poll();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void contributedBanksReadFromTheContributorsMemoryAndTheFilesFromTheNodes() {
        service.contribute(plant.mirror("sparkplug", "mirror_n1"));
        Registry version = service.current();
        RmaBackend memory = version.memory(local);
        Allocation temp = version.tag("sparkplug/n1/temp").orElseThrow().allocation();
        Allocation inlet = version.tag("plant1/line1/tt101").orElseThrow().allocation();
        plant.remote.write(Allocation.of(0, 0, RmaType.FLOAT32), 21.5f);
        plant.remote.write(Allocation.bool(0, 4, 0), true);
        local.write(inlet, 80.25f);

        BlockRead remote = ContributionFixture.read(memory, temp);
        BlockRead own = ContributionFixture.read(memory, inlet);

        assertThat(remote.status()).isEqualTo(ReadStatus.OK);
        assertThat(remote.bank()).as("the version's bank id, not the memory's").isEqualTo(2);
        assertThat(ValueCodec.decode(remote.buffer(), 0, temp)).isEqualTo(21.5f);
        assertThat(remote.sequence()).isEqualTo(plant.remote.sequence(0));
        assertThat(remote.lastWriteNanos()).isEqualTo(plant.remote.lastWriteNanos(0));
        assertThat(ValueCodec.decode(ContributionFixture.read(memory, version.tag("sparkplug/n1/running").orElseThrow()
                .allocation()).buffer(), 0, Allocation.bool(0, 0, 0))).isEqualTo(true);
        assertThat(own.status()).isEqualTo(ReadStatus.OK);
        assertThat(ValueCodec.decode(own.buffer(), 0, inlet)).isEqualTo(80.25f);
        assertThat(memory.banks()).isEqualTo(version.banks());
        assertThat(memory.sequence(2)).isEqualTo(plant.remote.sequence(0));
        assertThat(memory.sequence(0)).isEqualTo(local.sequence(0));
    }

    @Test
    void theSameLocalBackendGetsTheSameMemory() {
        Registry fileOnly = service.current();
        assertThat(fileOnly.memory(local)).as("no contributed banks").isSameAs(local);
        service.contribute(plant.mirror("sparkplug", "mirror_n1"));
        Registry version = service.current();

        assertThat(version.memory(local)).isSameAs(version.memory(local)).isNotSameAs(local);
        assertThat(version.memory(null)).isNull();
        RmaBackend other = RmaBackends.heap(local.banks());
        assertThat(version.memory(other)).isNotSameAs(version.memory(local));
    }

    @Test
    void aReadTheMemoryMarksStaleIsStaleWithItsBytes() {
        RmaBackend stale = new StaleBackend(plant.remote);
        service.contribute(new Contribution("sparkplug", List.of(new ContributedBank("mirror_n1", 64, "sparkplug plant/n1",
                stale, 0)), List.of(ContributionFixture.tag("sparkplug/n1/temp", Allocation.of(0, 8, RmaType.INT32),
                        Map.of()))));
        plant.remote.write(Allocation.of(0, 8, RmaType.INT32), 4711);
        Registry version = service.current();
        Allocation temp = version.tag("sparkplug/n1/temp").orElseThrow().allocation();

        BlockRead block = ContributionFixture.read(version.memory(local), temp);
        BlockRead[] batch = { new BlockRead(8).target(temp.bank(), temp.byteOffset(), 4), new BlockRead(8).target(0, 0, 4) };
        version.memory(local).read(batch, 2);

        assertThat(block.status()).isEqualTo(ReadStatus.STALE);
        assertThat(block.hasData()).isTrue();
        assertThat(block.bank()).isEqualTo(2);
        assertThat(ValueCodec.decode(block.buffer(), 0, temp)).isEqualTo(4711L);
        assertThat(batch[0].status()).isEqualTo(ReadStatus.STALE);
        assertThat(batch[1].status()).isEqualTo(ReadStatus.OK);
    }

    @Test
    void writesToContributedBanksLandInTheContributorsMemoryWithinTheVersionsBank() {
        service.contribute(plant.mirror("sparkplug", "mirror_n1"));
        RmaBackend memory = service.current().memory(local);

        memory.write(Allocation.of(2, 16, RmaType.INT16), (short) 300);
        memory.writeBit(2, 5, 3, true);

        BlockRead written = new BlockRead(8).target(0, 16, 2);
        plant.remote.read(written);
        assertThat(written.buffer().getShort(0)).isEqualTo((short) 300);
        BlockRead bit = new BlockRead(1).target(0, 5, 1);
        plant.remote.read(bit);
        assertThat(bit.data()[0]).isEqualTo((byte) 0b1000);
        assertThatThrownBy(() -> memory.write(2, 64, new byte[1], 0, 1)).as("the remote has 128 bytes, the bank 64")
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ContributionFixture.read(memory, Allocation.of(2, 64, RmaType.INT32)).status())
                .isEqualTo(ReadStatus.OUT_OF_RANGE);
        assertThat(ContributionFixture.read(memory, Allocation.of(3, 0, RmaType.INT32)).status())
                .isEqualTo(ReadStatus.UNKNOWN_BANK);
    }

    /** A mirror of a node that went offline: every completed read is stale. */
    private static final class StaleBackend implements RmaBackend {
        private final RmaBackend inner;

        StaleBackend(RmaBackend inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return "stale";
        }

        @Override
        public List<Bank> banks() {
            return inner.banks();
        }

        @Override
        public void read(BlockRead block) {
            inner.read(block);
            if (block.ok()) {
                block.markStale();
            }
        }

        @Override
        public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
            inner.write(bank, offset, source, sourceOffset, length);
        }

        @Override
        public void writeBit(int bank, int byteOffset, int bit, boolean value) {
            inner.writeBit(bank, byteOffset, bit, value);
        }

        @Override
        public long sequence(int bank) {
            return inner.sequence(bank);
        }

        @Override
        public long lastWriteNanos(int bank) {
            return inner.lastWriteNanos(bank);
        }
    }
}
