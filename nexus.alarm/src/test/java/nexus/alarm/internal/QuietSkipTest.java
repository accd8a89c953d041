package nexus.alarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.alarm.ActionRequest;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmFilter;
import nexus.core.NexusException;
import nexus.registry.AlarmDefinition;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;

/**
 * The scan that skips quiet alarms ({@link ScanPass}) against one that visits every alarm at every
 * scan: two plants, the same random sequence of values (deadband, NaN, delays), unreadable and STALE
 * banks, operator actions (shelves whose time runs out included), other writers' flag bytes, new
 * registry versions, new backends, new settings and a journal that cannot be written for a while; after every scan both have published the same
 * events, hold the same flag bytes in RMA, show the same alarms and tell {@code /health} the same.
 */
class QuietSkipTest {

    static final String LIST = """
            {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 32}],
             "tags": [{"path": "u/tt101", "type": "FLOAT32", "bank": "process"},
                      {"path": "plant1/line1/lt101", "type": "FLOAT32", "bank": "process"},
                      {"path": "u/fault", "type": "BOOL", "bank": "process"},
                      {"path": "u/mode", "type": "INT16", "bank": "process"},
                      {"path": "u/pt201", "type": "FLOAT64", "bank": "process"}],
             "alarms": [
               {"name": "u/tt101/hi", "tag": "u/tt101", "condition": "HI", "limit": 120, "deadband": 2,
                "severity": "HIGH", "maxShelveSeconds": 3600},
               {"name": "u/tt101/hihi", "tag": "u/tt101", "condition": "HIHI", "limit": 140, "onDelayMs": 300,
                "offDelayMs": 200, "severity": "CRITICAL", "maxShelveSeconds": 600},
               {"name": "plant1/line1/lt101/lo", "tag": "plant1/line1/lt101", "condition": "LO", "limit": 10, "deadband": 1,
                "severity": "MEDIUM", "latching": true, "maxShelveSeconds": 3600},
               {"name": "plant1/line1/lt101/lolo", "tag": "plant1/line1/lt101", "condition": "LOLO", "limit": 5, "offDelayMs": 300,
                "severity": "HIGH", "requiresAck": false, "maxShelveSeconds": 3600},
               {"name": "u/fault", "tag": "u/fault", "condition": "TRUE", "onDelayMs": 200, "severity": "HIGH",
                "maxShelveSeconds": 60},
               {"name": "u/mode/manual", "tag": "u/mode", "condition": "EQ", "limit": 3, "severity": "LOW",
                "requiresAck": false},
               {"name": "u/mode/off", "tag": "u/mode", "condition": "NE", "limit": 0, "severity": "LOW",
                "latching": true, "maxShelveSeconds": 120},
               {"name": "u/pt201/hi", "tag": "u/pt201", "condition": "HI", "limit": 7.5, "deadband": 0.5,
                "severity": "MEDIUM", "maxShelveSeconds": 120}
             ]}
            """;

    static final String[] TAGS = { "u/tt101", "plant1/line1/lt101", "u/fault", "u/mode", "u/pt201" };
    static final Object[][] VALUES = {
            { 50f, 119f, 121f, 118.5f, 117f, 141f, 139f, 150f, Float.NaN },
            { 50f, 9.5f, 10.5f, 11.5f, 4f, 6f, Float.NaN },
            { true, false },
            { 0, 3, 5 },
            { 1.0, 7.9, 7.2, 8.0, 6.9, Double.NaN } };

    @TempDir
    Path dir;
    /** Events compared so far. */
    int compared;
    /** [0] skips quiet alarms, [1] visits every alarm. */
    final Side[] sides = new Side[2];

    /** One plant and its engine, with a backend whose banks the test makes unreadable or STALE. */
    static final class Side {
        final Plant plant;
        final RmaBackend heap;
        final AlarmEngine engine;
        final List<String> outcomes = new ArrayList<>();
        final FullDisk disk = new FullDisk();
        Flaky flaky;
        long visits;

        Side(Path dir, boolean skipping) {
            plant = new Plant(directory(dir), LIST);
            heap = plant.counting().heap;
            flaky = new Flaky(heap);
            plant.backend = flaky;
            engine = plant.engine(plant.store(disk));
            engine.skipQuiet(skipping);
        }

        void scan() {
            engine.scan();
            visits += engine.visits();
        }
    }

    private static Path directory(Path dir) {
        try {
            return java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads of one bank fail with a status, or are STALE, while {@link #bank} is set. */
    static final class Flaky extends Plant.Delegating {
        volatile int bank = -1;
        volatile ReadStatus status;

        Flaky(RmaBackend heap) {
            super(heap);
        }

        @Override
        public void read(BlockRead block) {
            heap.read(block);
            if (block.bank() == bank) {
                if (status == ReadStatus.STALE) {
                    if (block.ok()) {
                        block.markStale();
                    }
                } else {
                    block.fail(status);
                }
            }
        }
    }

    @BeforeEach
    void setUp() {
        sides[0] = new Side(dir.resolve("skipping"), true);
        sides[1] = new Side(dir.resolve("visiting"), false);
    }

    @AfterEach
    void tearDown() {
        for (Side side : sides) {
            side.plant.close();
        }
    }

    @Test
    void skippingQuietAlarmsChangesNothingThatCanBeSeen() {
        for (long seed = 1; seed <= 6; seed++) {
            run(new Random(seed), 1500);
        }
        assertThat(sides[0].plant.events).isNotEmpty();
        // The comparison means something only if the skipping side did skip.
        assertThat(sides[0].visits).isLessThan(sides[1].visits * 3 / 4);
    }

    private void run(Random random, int steps) {
        long version = 1;
        for (int step = 0; step < steps; step++) {
            int what = random.nextInt(100);
            if (what < 35) {
                int tag = random.nextInt(TAGS.length);
                Object value = VALUES[tag][random.nextInt(VALUES[tag].length)];
                both(s -> s.plant.write(TAGS[tag], value));
            } else if (what < 45) {
                AlarmDefinition alarm = sides[0].plant.registry.alarms()
                        .get(random.nextInt(sides[0].plant.registry.alarms().size()));
                AlarmAction action = AlarmAction.values()[random.nextInt(AlarmAction.values().length)];
                ActionRequest request = action != AlarmAction.SHELVE ? Plant.by("op", "step " + step)
                        : random.nextBoolean() ? Plant.oneShotBy("op", "one-shot")
                                : Plant.shelveBy("op", "for a while", Duration.ofSeconds(30 + random.nextInt(90)));
                both(s -> s.outcomes.add(act(s.engine, alarm.name(), action, request)));
            } else if (what < 48) {
                // Unreadable or STALE for a while: a bank of values or of flag bytes.
                int bank = random.nextInt(3) == 0 ? 1 : 0;
                ReadStatus[] statuses = { ReadStatus.STALE, ReadStatus.CONTENDED, ReadStatus.UNAVAILABLE };
                ReadStatus status = random.nextInt(3) == 0 ? null : statuses[random.nextInt(statuses.length)];
                both(s -> {
                    s.flaky.status = status;
                    s.flaky.bank = status == null ? -1 : bank;
                });
            } else if (what < 50) {
                AlarmDefinition alarm = sides[0].plant.registry.alarms()
                        .get(random.nextInt(sides[0].plant.registry.alarms().size()));
                byte foreign = (byte) random.nextInt(256);
                both(s -> s.heap.write(alarm.flags().bank(), alarm.flags().byteOffset(), new byte[] { foreign }, 0, 1));
            } else if (what < 51) {
                long v = ++version;
                both(s -> s.plant.served = Plant.asVersion(s.plant.registry, v));
            } else if (what < 52) {
                both(s -> {
                    Flaky next = new Flaky(s.heap);
                    next.bank = s.flaky.bank;
                    next.status = s.flaky.status;
                    s.flaky = next;
                    s.plant.backend = next;
                });
            } else if (what < 53) {
                int chatter = 2 + random.nextInt(3);
                both(s -> s.engine.settings(new AlarmEngine.Settings(100, chatter, 60_000, 10, 256, 4096)));
            } else if (what < 54) {
                boolean full = random.nextInt(3) == 0; // the journal cannot be written for a while
                both(s -> s.disk.full = full);
            } else if (what < 56) {
                long far = 20_000 + random.nextInt(100_000); // shelve times run out
                both(s -> s.plant.advance(far));
            }
            long millis = 50 + random.nextInt(150);
            both(s -> {
                s.plant.advance(millis);
                s.scan();
            });
            compare(step);
        }
    }

    private static String act(AlarmEngine engine, String name, AlarmAction action, ActionRequest request) {
        try {
            return engine.act(name, action, request).toString();
        } catch (NexusException e) {
            return e.code() + ": " + e.getMessage();
        }
    }

    private void both(java.util.function.Consumer<Side> change) {
        change.accept(sides[0]);
        change.accept(sides[1]);
    }

    private void compare(int step) {
        Side skipping = sides[0];
        Side visiting = sides[1];
        String at = "after step " + step;
        assertThat(skipping.plant.events).as(at).hasSameSizeAs(visiting.plant.events);
        assertThat(skipping.plant.events.subList(compared, skipping.plant.events.size())).as(at)
                .isEqualTo(visiting.plant.events.subList(compared, visiting.plant.events.size()));
        compared = skipping.plant.events.size();
        assertThat(skipping.outcomes).as(at).isEqualTo(visiting.outcomes);
        for (AlarmDefinition alarm : skipping.plant.registry.alarms()) {
            assertThat(flagByte(skipping, alarm)).as(at + ": flag byte of " + alarm.name())
                    .isEqualTo(flagByte(visiting, alarm));
        }
        AlarmEngine.Status a = skipping.engine.status();
        AlarmEngine.Status b = visiting.engine.status();
        assertThat(a.unevaluated()).as(at + ": unevaluated").isEqualTo(b.unevaluated());
        assertThat(a.firstUnevaluated()).as(at + ": first unevaluated").isEqualTo(b.firstUnevaluated());
        assertThat(a.flagProblem()).as(at).isEqualTo(b.flagProblem());
        if (a.ready()) {
            assertThat(skipping.engine.list(AlarmFilter.ALL)).as(at + ": alarms").isEqualTo(visiting.engine.list(AlarmFilter.ALL));
        }
    }

    private static int flagByte(Side side, AlarmDefinition alarm) {
        BlockRead read = new BlockRead(1).target(alarm.flags().bank(), alarm.flags().byteOffset(), 1);
        side.heap.read(read);
        return read.data()[0] & 0xFF;
    }
}
