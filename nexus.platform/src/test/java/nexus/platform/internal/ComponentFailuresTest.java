package nexus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ComponentFailuresTest {

    @Test
    void aFailedActivationIsOneLineNamingTheComponentTheReasonAndTheFile() {
        String failure = "org.osgi.service.component.ComponentException: java.lang.NumberFormatException: For input string: \"abc\"\n"
                + "\tat org.apache.felix.scr.impl.inject.Annotations.coerce(Annotations.java:123)\n";

        List<String> lines = ComponentFailures.describe(List.of(new ComponentFailures.Failure(
                "nexus.alarm.internal.AlarmComponent", List.of("nexus.alarm"), failure)));

        assertThat(lines).containsExactly(
                "nexus.alarm.internal.AlarmComponent: For input string: \"abc\" (check etc/nexus.alarm.cfg)");
    }

    @Test
    void theLastCauseWithAMessageIsTheReason() {
        String failure = "org.osgi.service.component.ComponentException: java.lang.reflect.InvocationTargetException\n"
                + "\tat org.apache.felix.scr.impl.Something.activate(Something.java:1)\n"
                + "Caused by: java.lang.reflect.InvocationTargetException\n"
                + "\t... 12 more\n"
                + "Caused by: java.lang.NumberFormatException: For input string: \"abc\"\n"
                + "\tat java.base/java.lang.Long.parseLong(Long.java:1)\n";

        assertThat(ComponentFailures.reason(failure)).isEqualTo("For input string: \"abc\"");
    }

    @Test
    void withoutAMessageItPointsAtTheLog() {
        assertThat(ComponentFailures.reason(null)).isEqualTo("it failed to start (see the log)");
        assertThat(ComponentFailures.reason("java.lang.IllegalStateException: ")).isEqualTo("it failed to start (see the log)");
        assertThat(ComponentFailures.reason("java.lang.StackOverflowError: deep")).isEqualTo("deep");
    }
}
