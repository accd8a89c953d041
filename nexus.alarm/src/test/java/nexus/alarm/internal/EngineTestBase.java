package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.ACKED;
import static nexus.alarm.AlarmFlags.ENABLED;
import static nexus.alarm.AlarmFlags.VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** What the engine's test classes share: a fresh plant (registry file, heap RMA, test clock) and its engine per test. */
abstract class EngineTestBase {

    static final int NORMAL_FLAGS = VALID | ENABLED | ACKED;

    @TempDir
    Path dir;
    Plant plant;
    AlarmEngine engine;

    @BeforeEach
    void setUp() {
        plant = new Plant(dir);
        engine = plant.engine(null);
    }

    @AfterEach
    void tearDown() {
        plant.close();
    }

    static void assertCode(Runnable action, ErrorCode code, String message) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessageContaining(message);
    }
}
