package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;
import nexus.rma.Allocation;

/** Snapshots at size: a round trip of 100,000 tags, and no torn bank under concurrent writes. */
class SnapshotScaleTest {

    @TempDir
    Path dir;

    /** {@code count} writable INT32 tags, 4 bytes apart, in one bank. */
    private static String list(int count) {
        StringBuilder list = new StringBuilder("# bank process " + (count * 4 + 64) + "\npath,type,bank,writable\n");
        for (int i = 0; i < count; i++) {
            list.append(String.format("site/a%02d/t%06d,INT32,process,1%n", i % 50, i));
        }
        return list.toString();
    }

    @Test
    void aHundredThousandTagsRoundTrip() throws Exception {
        int count = 100_000;
        try (TagPlant plant = new TagPlant(dir, list(count), Admission.defaults(30_000))) {
            Snapshots snapshots = new Snapshots(plant.engine, plant, plant.tags);
            fill(plant, count, i -> i);
            String file = SnapshotsTest.export(snapshots, SnapshotsTest.ROOT, SnapshotFormat.JSONL);
            List<JsonNode> lines = SnapshotsTest.lines(file);
            assertThat(lines).hasSize(count + 2);
            assertThat(lines.get(count).get("path").asText()).isEqualTo("site/a49/t099999");
            assertThat(lines.get(count).get("value").asLong()).isEqualTo(99_999);

            fill(plant, count, i -> i % 10 == 0 ? -i : i); // every tenth tag changes
            RestoreResult dry = SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, file, RestoreOptions.dryRun(false));

            assertThat(dry.changes()).hasSize(count / 10 - 1); // t000000 is 0 either way
            assertThat(dry.changes().get(0)).isEqualTo(new RestoreResult.Change("site/a10/t000010", -10L, 10L, null, true));
            assertThat(dry.unchanged()).isEqualTo(count - count / 10 + 1);

            RestoreResult done = SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, file,
                    RestoreOptions.confirmed(dry.confirmation(), false));

            assertThat(done.written()).hasSize(count / 10 - 1);
            assertThat(done.complete()).isTrue();
            assertThat(plant.value("site/a10/t000010")).isEqualTo(10L);
            assertThat(plant.value("site/a40/t099990")).isEqualTo(99_990L);
            assertThat(SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, file, RestoreOptions.dryRun(false)).changes()).isEmpty();
        }
    }

    @Test
    void aLivePlantsReadOnlyValuesAreCountedNotAllListed() throws Exception {
        int count = 1_000;
        try (TagPlant plant = new TagPlant(dir, list(count).replace(",1\n", ",0\n").replace(",1" + System.lineSeparator(),
                ",0" + System.lineSeparator()), Admission.defaults(30_000))) {
            Snapshots snapshots = new Snapshots(plant.engine, plant, plant.tags);
            String file = SnapshotsTest.export(snapshots, SnapshotsTest.ROOT, SnapshotFormat.JSONL);
            fill(plant, count, i -> i + 1);

            RestoreResult dry = SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, file, RestoreOptions.dryRun(false));

            assertThat(dry.skippedTags()).isEqualTo(count);
            assertThat(dry.skipped()).hasSize(RestoreResult.LISTED);
            assertThat(dry.changes()).hasSize(RestoreResult.LISTED).allSatisfy(c -> assertThat(c.writable()).isFalse());
        }
    }

    private static void fill(TagPlant plant, int count, java.util.function.IntUnaryOperator value) {
        ByteBuffer bank = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            bank.putInt(value.applyAsInt(i));
        }
        Allocation first = plant.tag(String.format("site/a%02d/t%06d", 0, 0)).allocation();
        plant.rma.memory.write(first.bank(), first.byteOffset(), bank.array(), 0, count * 4);
    }

    @Test
    void everyBlockIsOneStateOfItsBankUnderConcurrentWrites() throws Exception {
        int count = 20_000;
        try (TagPlant plant = new TagPlant(dir, list(count), Admission.defaults(30_000))) {
            Snapshots snapshots = new Snapshots(plant.engine, plant, plant.tags);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                int counter = 0;
                while (running.get()) {
                    fill(plant, count, i -> 0); // a write of all tags with one counter: never torn
                    int c = ++counter;
                    fill(plant, count, i -> c);
                }
            }, "nexus-query-test-writer");
            writer.start();
            Set<Long> sequences = new HashSet<>();
            try {
                for (int round = 0; round < 5; round++) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    snapshots.export(SnapshotsTest.ROOT, SnapshotFormat.JSONL, out);
                    List<JsonNode> lines = SnapshotsTest.lines(out.toString(StandardCharsets.UTF_8));
                    Map<Long, Set<Long>> valuesBySequence = new HashMap<>();
                    for (JsonNode line : lines.subList(1, lines.size() - 1)) {
                        valuesBySequence.computeIfAbsent(line.get("sequence").asLong(), s -> new HashSet<>())
                                .add(line.get("value").asLong());
                    }
                    List<String> torn = new ArrayList<>();
                    valuesBySequence.forEach((sequence, values) -> {
                        if (values.size() > 1) {
                            torn.add("sequence " + sequence + ": " + values);
                        }
                    });
                    assertThat(torn).as("tags read at one sequence of the bank hold one state of it").isEmpty();
                    sequences.addAll(valuesBySequence.keySet());
                }
            } finally {
                running.set(false);
                writer.join(10_000);
            }
            assertThat(sequences).as("the writer moved the bank while the snapshots were read").hasSizeGreaterThan(1);
        }
    }
}
