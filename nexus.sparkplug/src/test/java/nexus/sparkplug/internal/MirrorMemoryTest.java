package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.HostBirthTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Contribution;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

/** The mirror's memory: copy-on-write snapshots, staleness, refused outside writes. */
class MirrorMemoryTest {

    @Test
    void outsideWritesAreRefusedAsNotWritable() {
        MirrorMemory memory = new MirrorMemory(16);

        assertThatThrownBy(() -> memory.write(0, 0, new byte[4], 0, 4)).isInstanceOf(NexusException.class)
                .satisfies(e -> assertThat(((NexusException) e).code()).isEqualTo(ErrorCode.NOT_WRITABLE))
                .hasMessageContaining("written by its node");
        assertThatThrownBy(() -> memory.writeBit(0, 0, 1, true)).isInstanceOf(NexusException.class)
                .satisfies(e -> assertThat(((NexusException) e).code()).isEqualTo(ErrorCode.NOT_WRITABLE));
        assertThatThrownBy(() -> memory.write(Allocation.of(0, 8, RmaType.INT64), 5L)).isInstanceOf(NexusException.class)
                .satisfies(e -> assertThat(((NexusException) e).code()).isEqualTo(ErrorCode.NOT_WRITABLE));
        assertThat(memory.sequence(0)).isZero();
    }

    @Test
    void bankNamesNeverRepeatAndSizesAreRoundedUpToEight() {
        MirrorMemory a = new MirrorMemory(0);
        MirrorMemory b = new MirrorMemory(9);
        MirrorMemory c = new MirrorMemory(16);

        assertThat(List.of(a.bankName(), b.bankName(), c.bankName())).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).matches("sp-[0-9]+"));
        assertThat(a.size()).isEqualTo(8);
        assertThat(b.size()).isEqualTo(16);
        assertThat(c.size()).isEqualTo(16);
        assertThat(c.banks()).singleElement().satisfies(bank -> assertThat(bank.name()).isEqualTo(c.bankName()));
    }

    @Test
    void readsOfAnotherBankOrOutsideTheBankFail() {
        MirrorMemory memory = new MirrorMemory(8);
        BlockRead read = new BlockRead(16);

        memory.read(read.target(1, 0, 4));
        assertThat(read.status()).isEqualTo(ReadStatus.UNKNOWN_BANK);
        memory.read(read.target(0, 4, 8));
        assertThat(read.status()).isEqualTo(ReadStatus.OUT_OF_RANGE);
        assertThatThrownBy(() -> memory.sequence(1)).isInstanceOf(NexusException.class);
    }

    @Test
    void aNewMemoryIsStaleUntilValuesArePublishedAndStalenessIsASequenceStep() {
        MirrorMemory memory = new MirrorMemory(8);
        BlockRead read = new BlockRead(8);
        memory.read(read.target(0, 0, 8));
        assertThat(read.status()).isEqualTo(ReadStatus.STALE);

        ByteBuffer draft = memory.draft();
        draft.putLong(0, 77);
        memory.publish(draft, 5_000);
        memory.read(read.target(0, 0, 8));
        assertThat(read.status()).isEqualTo(ReadStatus.OK);
        assertThat(read.buffer().getLong(0)).isEqualTo(77);
        assertThat(read.sequence()).isEqualTo(1);
        assertThat(read.lastWriteNanos()).isEqualTo(5_000);

        memory.markStale();
        memory.markStale();
        memory.read(read.target(0, 0, 8));
        assertThat(read.status()).isEqualTo(ReadStatus.STALE);
        assertThat(read.buffer().getLong(0)).isEqualTo(77);
        assertThat(read.sequence()).as("one step, however often marked").isEqualTo(2);
        assertThat(read.lastWriteNanos()).isEqualTo(5_000);
    }

    @Test
    void aConcurrentReaderNeverSeesATornSnapshotWhileTheHostApplies100000Ndata() throws Exception {
        HostFixture f = new HostFixture();
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(0, T0, List.of(
                TahuEdge.metric("a", 1, MetricDataType.Int64, 0L),
                TahuEdge.metric("b", 2, MetricDataType.Int64, 0L),
                TahuEdge.metric("half", 3, MetricDataType.Double, 0.0),
                TahuEdge.metric("low", 4, MetricDataType.Int32, 0),
                TahuEdge.metric("odd", 5, MetricDataType.Boolean, false),
                TahuEdge.metric("text", 6, MetricDataType.String, "0"))));
        Contribution contribution = f.registry.last();
        Contribution.ContributedBank bank = contribution.banks().get(0);
        Tag a = tag(contribution, "a");
        Tag b = tag(contribution, "b");
        Tag half = tag(contribution, "half");
        Tag low = tag(contribution, "low");
        Tag odd = tag(contribution, "odd");
        Tag text = tag(contribution, "text");

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            BlockRead read = new BlockRead(bank.size());
            long lastSequence = -1;
            while (!done.get() && torn.get() == null) {
                bank.memory().read(read.target(0, 0, bank.size()));
                ByteBuffer buffer = read.buffer();
                long va = (Long) ValueCodec.decode(buffer, a.allocation().byteOffset(), a.allocation());
                long vb = (Long) ValueCodec.decode(buffer, b.allocation().byteOffset(), b.allocation());
                double vh = (Double) ValueCodec.decode(buffer, half.allocation().byteOffset(), half.allocation());
                long vl = (Long) ValueCodec.decode(buffer, low.allocation().byteOffset(), low.allocation());
                boolean vo = (Boolean) ValueCodec.decode(buffer, odd.allocation().byteOffset(), odd.allocation());
                String vt = (String) ValueCodec.decode(buffer, text.allocation().byteOffset(), text.allocation());
                if (vb != -3 * va || vh != va / 2.0 || vl != (int) va || vo != (va % 2 == 1)
                        || !vt.equals(Long.toString(va)) || read.sequence() < lastSequence || read.status() != ReadStatus.OK) {
                    torn.set("a=" + va + " b=" + vb + " half=" + vh + " low=" + vl + " odd=" + vo + " text=" + vt
                            + " sequence " + read.sequence() + " after " + lastSequence + " " + read.status());
                }
                lastSequence = read.sequence();
                reads.incrementAndGet();
            }
        }, "mirror-reader");
        reader.start();
        long sequenceBefore = bank.memory().sequence(0);
        for (long i = 1; i <= 100_000; i++) {
            f.host.message(edge.topic("NDATA"), edge.data(T0 + i,
                    TahuEdge.byAlias(1, MetricDataType.Int64, i),
                    TahuEdge.byAlias(2, MetricDataType.Int64, -3 * i),
                    TahuEdge.byAlias(3, MetricDataType.Double, i / 2.0),
                    TahuEdge.byAlias(4, MetricDataType.Int32, (int) i),
                    TahuEdge.byAlias(5, MetricDataType.Boolean, i % 2 == 1),
                    TahuEdge.byAlias(6, MetricDataType.String, Long.toString(i))));
        }
        done.set(true);
        reader.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(torn.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(bank.memory().sequence(0)).isEqualTo(sequenceBefore + 100_000);
        assertThat(f.value("sites/plant/press1/a")).isEqualTo(100_000L);
        assertThat(f.host.status().nodes().get(0).gaps()).isZero();
    }

    private static Tag tag(Contribution contribution, String name) {
        return contribution.tags().stream().filter(t -> t.path().endsWith("/" + name)).findFirst().orElseThrow();
    }
}
