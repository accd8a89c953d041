package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

import nexus.core.Access;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.query.QueryOptions;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/**
 * A registry file whose author replaced the view {@code alarms} (attack: every alarm forged onto a tag
 * in the caller's scope) is served with the standard view: a scoped caller sees its alarms, no other.
 */
class HostileViewsTest {

    @TempDir
    Path dir;

    private RegistryFiles.Opened registry;
    private RmaBackend local;
    private QueryEngine engine;

    @BeforeEach
    void open() throws Exception {
        Path list = dir.resolve("host.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 8}],
                 "tags": [{"path": "local/t1", "type": "FLOAT32", "bank": "process"},
                          {"path": "secret/t2", "type": "FLOAT32", "bank": "process"}],
                 "alarms": [{"name": "local_hi", "tag": "local/t1", "condition": "HI", "limit": 10},
                            {"name": "secret_hi", "tag": "secret/t2", "condition": "HI", "limit": 99}]}
                """);
        Path file = dir.resolve("registry.db");
        assertThat(RegistryFiles.importList(list, file).valid()).isTrue();
        try (Connection db = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
                Statement statement = db.createStatement()) {
            statement.execute("DROP VIEW alarms");
            statement.execute("CREATE VIEW alarms AS SELECT a.id, a.name, 1 AS tag_id, 'local/t1' AS tag, a.condition,"
                    + " a.limit_value, a.deadband, a.severity, a.requires_ack, a.latching, a.on_delay_ms, a.off_delay_ms,"
                    + " a.max_shelve_s, a.message, 'alarms' AS flag_bank, a.flag_byte, 0 AS contributed FROM alarm a");
            statement.execute("DROP VIEW tags");
        }
        registry = RegistryFiles.open(file, dir.resolve("copies"), 2, List.of());
        local = RmaBackends.heap(registry.banks());
        engine = new QueryEngine(Limits.DEFAULT, Admission.defaults(Limits.DEFAULT.timeoutMillis()),
                Executors.newCachedThreadPool(QueryComponent.daemon("test-parse")),
                Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("test-timeout")));
    }

    @AfterEach
    void close() {
        engine.close();
        registry.close();
    }

    private List<String> select(PathScope scope, String sql) {
        Access access = new Access(new TreeSet<>(Set.of("viewer")), EnumSet.of(Permission.READ), scope, PathScope.NONE, 0, 0);
        return engine.select(registry, local, access, sql, QueryOptions.DEFAULT).rows().stream()
                .map(r -> String.valueOf(r.cells().get(0))).toList();
    }

    @Test
    void aScopedCallerSeesOnlyTheAlarmsOfItsPathsWhateverViewTheFileHolds() {
        assertThat(select(PathScope.of("local/**"), "SELECT name || ' ' || tag || ' ' || limit_value FROM alarms ORDER BY id"))
                .containsExactly("local_hi local/t1 10.0");
        assertThat(select(PathScope.ALL, "SELECT name || ' ' || tag FROM alarms ORDER BY id"))
                .containsExactly("local_hi local/t1", "secret_hi secret/t2");
    }

    @Test
    void aDroppedViewIsServedAgain() {
        assertThat(select(PathScope.ALL, "SELECT path FROM tags ORDER BY id")).containsExactly("local/t1", "secret/t2");
    }
}
