package nexus.alarm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import nexus.alarm.AlarmEvent;
import nexus.registry.AlarmDefinition;
import nexus.registry.ValidationReport;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.Allocation;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/**
 * A plant with one alarm per tag, for the alarm benchmarks: {@code n} tags, four in five FLOAT32
 * with a HI (limit 90, deadband 2) or a LO (limit 10, deadband 2) alarm, one in five BOOL with a
 * TRUE alarm; packed by the importer as a real plant would be. Values start healthy (50, false).
 */
final class AlarmPlant implements AutoCloseable {

    final Path dir;
    final RegistryFiles.Opened registry;
    final RmaBackend rma;
    final List<Allocation> values;
    final AtomicLong delivered = new AtomicLong();

    AlarmPlant(int n) throws IOException {
        dir = Files.createTempDirectory("nexus-alarm-bench");
        Path list = dir.resolve("plant.json");
        try (Writer out = Files.newBufferedWriter(list)) {
            out.write("{\"banks\": [{\"name\": \"process\", \"size\": " + (n * 4 + 4096) + "}, {\"name\": \"alarms\", \"size\": "
                    + (n + 64) + "}],\n \"tags\": [\n");
            for (int i = 0; i < n; i++) {
                boolean bool = i % 5 == 4;
                out.write((i == 0 ? "" : ",\n") + "{\"path\": \"site/unit" + (i / 100) + "/t" + i + "\", \"type\": \""
                        + (bool ? "BOOL" : "FLOAT32") + "\", \"bank\": \"process\"}");
            }
            out.write("],\n \"alarms\": [\n");
            for (int i = 0; i < n; i++) {
                String condition = switch (i % 5) {
                    case 4 -> "\"condition\": \"TRUE\"";
                    case 3 -> "\"condition\": \"LO\", \"limit\": 10, \"deadband\": 2";
                    default -> "\"condition\": \"HI\", \"limit\": 90, \"deadband\": 2";
                };
                out.write((i == 0 ? "" : ",\n") + "{\"name\": \"site/unit" + (i / 100) + "/t" + i + "/alarm\", \"tag\": \"site/unit"
                        + (i / 100) + "/t" + i + "\", " + condition + ", \"severity\": \"HIGH\", \"maxShelveSeconds\": 3600}");
            }
            out.write("]}\n");
        }
        Path db = dir.resolve("plant.db");
        ValidationReport report = RegistryFiles.importList(list, db);
        if (!report.valid()) {
            throw new IllegalStateException(report.problems().get(0).toString());
        }
        registry = RegistryFiles.open(db, 2);
        rma = RmaBackends.heap(registry.banks());
        values = registry.alarms().stream().map(a -> registry.index().allocation(registry.index().position(a.tagId())))
                .toList();
        for (int i = 0; i < n; i++) {
            healthy(i);
        }
    }

    /** An engine over this plant without a journal; actions (none in the benchmarks) would be refused: no audit trail. */
    AlarmEngine engine(InstantSource clock, java.util.function.Consumer<AlarmEvent> publisher) {
        return new AlarmEngine(AlarmEngine.Settings.DEFAULTS, clock, () -> registry, () -> rma, publisher, null,
                new ActionAudit(() -> null, () -> null));
    }

    /** Puts alarm {@code i}'s tag where its condition is absent. */
    void healthy(int i) {
        rma.write(values.get(i), i % 5 == 4 ? (Object) false : (Object) 50.0f);
    }

    /** Puts alarm {@code i}'s tag where its condition is present. */
    void alarming(int i) {
        AlarmDefinition alarm = registry.alarms().get(i);
        Object value = switch (alarm.condition()) {
            case TRUE -> true;
            case LO -> 5.0f;
            default -> 95.0f;
        };
        rma.write(values.get(i), value);
    }

    @Override
    public void close() throws IOException {
        registry.close();
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Files.delete(dir);
    }
}
