package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.SUPPRESSED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.rma.Allocation;

/**
 * How the flag writer joins changed bytes into few writes: the bytes it carries along are other
 * alarms' flags as written, never an alarm's not taken over nor one never written.
 */
class FlagWriterTest {

    /** Flags an alarm took over from RMA: a valid, enabled, acknowledged alarm. */
    static final int STORED = EngineTestBase.NORMAL_FLAGS;

    @TempDir
    Path dir;
    Plant plant;
    AlarmTable table;
    final FlagWriter writer = new FlagWriter();

    @BeforeEach
    void setUp() {
        plant = new Plant(dir);
        table = new Replanner(new Recovery(null), new Durability(null, e -> { }))
                .follow(null, plant.registry, plant.backend, 256, 4096);
        // The five alarms' flag bytes lie side by side, in flag order.
        Allocation first = table.records[table.flagOrder[0]].flagAllocation();
        for (int rank = 0; rank < table.records.length; rank++) {
            Allocation flags = table.records[table.flagOrder[rank]].flagAllocation();
            assertThat(flags.bank()).isEqualTo(first.bank());
            assertThat(flags.byteOffset()).isEqualTo(first.byteOffset() + rank);
        }
        for (int rank = 0; rank < table.records.length; rank++) {
            byte[] stored = { (byte) STORED };
            plant.backend.write(first.bank(), first.byteOffset() + rank, stored, 0, 1);
        }
    }

    @AfterEach
    void tearDown() {
        plant.close();
    }

    private AlarmRecord byRank(int rank) {
        return table.records[table.flagOrder[rank]];
    }

    private void adoptAllBut(int skippedRank) {
        for (int rank = 0; rank < table.records.length; rank++) {
            byRank(rank).takeFlags(STORED); // as written, even the one left out: only not being taken over keeps it out
            if (rank != skippedRank) {
                table.adopted(table.flagOrder[rank]);
            }
        }
    }

    /** Suppresses the alarms of these ranks in memory and marks them for writing. */
    private void change(int... ranks) {
        writer.reset();
        for (int rank : ranks) {
            byRank(rank).operatorFlag(SUPPRESSED, true);
            writer.mark(rank);
        }
    }

    private int stored(int rank) {
        return plant.flags(byRank(rank).name());
    }

    @Test
    void writesChangedBytesAndTheWrittenOnesBetweenAsOneWrite() {
        adoptAllBut(-1);
        plant.counting().clearWrites();
        change(0, 4);

        writer.write(table, plant.backend);

        assertThat(plant.counting().writes).hasSize(1);
        assertThat(plant.counting().writes.get(0)[2]).isEqualTo(5);
        assertThat(stored(0)).isEqualTo(STORED | SUPPRESSED);
        assertThat(stored(4)).isEqualTo(STORED | SUPPRESSED);
        for (int rank = 1; rank <= 3; rank++) {
            assertThat(stored(rank)).isEqualTo(STORED);
        }
        assertThat(byRank(0).flagsWritten()).isEqualTo(STORED | SUPPRESSED);
        assertThat(writer.problem()).isNull();
    }

    @Test
    void neverWritesTheByteOfAnAlarmNotTakenOver() {
        adoptAllBut(2);
        byte[] notOurs = { 0x5A };
        Allocation third = byRank(2).flagAllocation();
        plant.backend.write(third.bank(), third.byteOffset(), notOurs, 0, 1);
        plant.counting().clearWrites();
        change(0, 1, 3, 4);

        writer.write(table, plant.backend);

        assertThat(plant.counting().writes).hasSize(2);
        assertThat(stored(2)).isEqualTo(0x5A);
        assertThat(stored(1)).isEqualTo(STORED | SUPPRESSED);
        assertThat(stored(3)).isEqualTo(STORED | SUPPRESSED);
    }

    @Test
    void neverCarriesAByteThatWasNeverWritten() {
        adoptAllBut(-1);
        byRank(2).flagsToWrite(); // RMA's byte is not known to be this alarm's flags
        byte[] other = { 0x33 };
        Allocation third = byRank(2).flagAllocation();
        plant.backend.write(third.bank(), third.byteOffset(), other, 0, 1);
        plant.counting().clearWrites();
        change(1, 3);

        writer.write(table, plant.backend);

        assertThat(plant.counting().writes).hasSize(2);
        assertThat(stored(2)).isEqualTo(0x33);
    }
}
