package nexus.bench.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FederationOptionsTest {

    @Test
    void defaultsAreTenNodesOfTenThousandMetricsAtTenThousandChangesASecond() {
        FederationOptions options = FederationOptions.parse();

        assertThat(options.nodes()).isEqualTo(10);
        assertThat(options.metrics()).isEqualTo(10_000);
        assertThat(options.rate()).isEqualTo(10_000);
        assertThat(options.changesPerData()).isEqualTo(100);
        assertThat(options.mirroredLike()).isEqualTo("sites/plant/%");
        assertThat(options.observe()).isFalse();
    }

    @Test
    void readsEveryOption() {
        FederationOptions options = FederationOptions.parse("--broker", "tcp://127.0.0.1:18830", "--host",
                "http://127.0.0.1:18650", "--local", "http://127.0.0.1:18651", "--local-like", "site%", "--group", "g",
                "--prefix", "p", "--nodes", "2", "--metrics", "50", "--rate", "100", "--interval-ms", "200", "--seconds",
                "5", "--warmup", "0", "--observe", "--queries", "3", "--row");

        assertThat(options.broker().getPort()).isEqualTo(18830);
        assertThat(options.local().getPort()).isEqualTo(18651);
        assertThat(options.changesPerData()).isEqualTo(10);
        assertThat(options.mirroredLike()).isEqualTo("p/g/%");
        assertThat(options.observe()).isTrue();
        assertThat(options.row()).isTrue();
    }

    @Test
    void saysWhatIsWrongWithAnArgument() {
        assertThatThrownBy(() -> FederationOptions.parse("--nodes", "0")).hasMessage("--nodes '0' is not a whole number of at"
                + " least 1");
        assertThatThrownBy(() -> FederationOptions.parse("--host", "localhost")).hasMessageContaining("is not a http://");
        assertThatThrownBy(() -> FederationOptions.parse("--group", "a/b")).hasMessageContaining("not a Sparkplug group id");
        assertThatThrownBy(() -> FederationOptions.parse("--rate", "5")).hasMessageContaining("less than one change per NDATA");
        assertThatThrownBy(() -> FederationOptions.parse("--seconds")).hasMessage("--seconds needs a value");
        assertThatThrownBy(() -> FederationOptions.parse("--fast")).hasMessage("unknown option '--fast'");
    }
}
