package nexus.loki.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

class LokiSettingsTest {

    private static void refused(Map<String, Object> config, String message) {
        assertThatThrownBy(() -> Configs.settings(config)).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT)).hasMessageContaining(message);
    }

    @Test
    void withoutAUrlTheSinkIsIdle() {
        LokiSettings settings = Configs.settings(Map.of());

        assertThat(settings.idle()).isTrue();
        assertThat(settings.toString()).isEqualTo("idle (no url)");
    }

    @Test
    void thePushEndpointIsTheBaseUrlPlusLokisPath() {
        assertThat(Configs.settings(Map.of("url", "http://127.0.0.1:3100")).push())
                .hasToString("http://127.0.0.1:3100/loki/api/v1/push");
        assertThat(Configs.settings(Map.of("url", "https://logs.example.com/loki/")).push())
                .hasToString("https://logs.example.com/loki/loki/api/v1/push");
        assertThat(Configs.settings(Map.of("url", "http://loki:3100/loki/api/v1/push")).push())
                .hasToString("http://loki:3100/loki/api/v1/push");
    }

    @Test
    void labelsAreJobNodeThenTheStaticOnesAndTheStreamLabelsComeFromEvents() {
        LokiSettings settings = Configs.settings(Map.of("url", "http://loki:3100", "labels", "site=plant1, env = prod"));

        assertThat(settings.labels()).containsExactly(Map.entry("job", "rma-nexus"), Map.entry("node", "testhost"),
                Map.entry("site", "plant1"), Map.entry("env", "prod"));
        assertThat(settings.kindLabel()).isTrue();
        assertThat(settings.severityLabel()).isTrue();
        assertThat(Configs.settings(Map.of("url", "http://loki:3100", "stream_labels", "kind", "node", "n1"))
                .severityLabel()).isFalse();
    }

    @Test
    void aUrlThatIsNotAnHttpUrlIsRefused() {
        refused(Map.of("url", "not a url"), "url 'not a url' is not a URL");
        refused(Map.of("url", "ftp://loki:3100"), "is not an http(s) URL with a host");
        refused(Map.of("url", "http:/loki"), "is not an http(s) URL with a host");
        refused(Map.of("url", "http://user:secret@loki:3100"), "url carries credentials");
        refused(Map.of("url", "http://loki:3100/?tenant=a"), "has a query or fragment");
        refused(Map.of("url", "http://loki", "queue_size", 10, "batch_size", 100), "queue.size = 10 is out of range");
        refused(Map.of("url", "http://loki", "retry_min", 20_000_000_000L, "retry_max", 20_000_000_000L), "retry.min");
    }

    @Test
    void unknownBadAndHighCardinalityLabelsAreRefusedWithTheReason() {
        refused(Map.of("url", "http://loki", "stream_labels", "kind,area"), "unknown label 'area': events can add kind and severity");
        refused(Map.of("url", "http://loki", "stream_labels", "alarm"), "label 'alarm' would carry high cardinality");
        refused(Map.of("url", "http://loki", "labels", "tag=x"), "label 'tag' would carry high cardinality");
        refused(Map.of("url", "http://loki", "labels", "tag_path=x"), "would carry high cardinality");
        refused(Map.of("url", "http://loki", "labels", "2site=x"), "'2site' is not a Loki label name");
        refused(Map.of("url", "http://loki", "labels", "__name__=x"), "is not a Loki label name");
        refused(Map.of("url", "http://loki", "labels", "site-a=x"), "is not a Loki label name");
        refused(Map.of("url", "http://loki", "labels", "site"), "'site' is not name=value");
        refused(Map.of("url", "http://loki", "labels", "site="), "labels: site is empty");
        refused(Map.of("url", "http://loki", "labels", "job=x"), "set job with its own key");
        refused(Map.of("url", "http://loki", "labels", "severity=x"), "comes from each event");
        refused(Map.of("url", "http://loki", "job", " "), "job is empty");
    }

    @Test
    void aRefusedUrlNeverShowsWhatCouldBeASecret() {
        for (String url : new String[] { "http://user:s3cret@loki_host:3100", "http://user:s3cret@loki:3100",
            "http://loki:3100/x?api_key=s3cret", "http://loki:3100/%zz?token=s3cret", "ftp://u:s3cret@loki" }) {
            assertThatThrownBy(() -> Configs.settings(Map.of("url", url))).isInstanceOf(NexusException.class)
                    .message().doesNotContain("s3cret");
        }
        assertThat(LokiSettings.shown("http://u:p@loki:3100/x?k=v#f")).isEqualTo("http://loki:3100/x…");
    }

    @Test
    void backoffGrowsToItsCapWithoutOverflow() {
        Backoff backoff = new Backoff(3_600_000, 3_600_000, 1);
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.next()).isBetween(1_800_000L, 3_600_000L);
        }
        Backoff doubling = new Backoff(100, 1000, 1);
        assertThat(doubling.next()).isBetween(50L, 100L);
        assertThat(doubling.next()).isBetween(100L, 200L);
        doubling.next();
        doubling.next();
        assertThat(doubling.next()).as("capped").isBetween(500L, 1000L);
    }

    @Test
    void credentialsAreCheckedAndNeverShown() {
        refused(Map.of("url", "http://loki", "username", "u"), "username and password go together");
        refused(Map.of("url", "http://loki", "username", "u", "password", "p", "token", "t"), "not both");

        LokiSettings basic = Configs.settings(Map.of("url", "http://loki", "username", "grafana", "password", "s3cret!"));
        LokiSettings bearer = Configs.settings(Map.of("url", "http://loki", "token", "tok-123", "tenant", "plant1"));

        assertThat(basic.authorization()).isEqualTo("Basic Z3JhZmFuYTpzM2NyZXQh");
        assertThat(basic.toString()).contains("basic auth as grafana").doesNotContain("s3cret").doesNotContain("Z3JhZmFu");
        assertThat(bearer.authorization()).isEqualTo("Bearer tok-123");
        assertThat(bearer.toString()).contains("bearer token").contains("tenant plant1").doesNotContain("tok-123");
    }

    @Test
    void numbersOutOfRangeAreRefusedNamingTheKey() {
        refused(Map.of("url", "http://loki", "batch_size", 0), "batch.size = 0 is out of range");
        refused(Map.of("url", "http://loki", "batch_wait", 5L), "batch.wait = 5 is out of range");
        refused(Map.of("url", "http://loki", "queue_size", 0), "queue.size");
        refused(Map.of("url", "http://loki", "retry_min", 1000L, "retry_max", 500L), "retry.max = 500 is out of range: use retry.min (1000) to 3600000 ms");
        refused(Map.of("url", "http://loki", "spool_max", 10L), "spool.max");
        refused(Map.of("url", "http://loki", "spool_flush", 5L), "spool.flush = 5 is out of range: use 10 to 60000 ms");
        refused(Map.of("url", "http://loki", "spool_flush", 60_001L), "spool.flush");
    }

    @Test
    void eventsWaitInMemoryAtMostOneSecondByDefaultOnceTheSinkSpools() {
        assertThat(Configs.settings(Map.of("url", "http://loki")).spoolFlushMillis()).isEqualTo(1000);
    }

    @Test
    void aRelativeSpoolFolderIsUnderTheHomeFolder() {
        assertThat(Configs.settings(Map.of("url", "http://loki", "spool_dir", "data/loki-spool")).spoolDir())
                .hasToString("/tmp/data/loki-spool");
    }
}
