package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.core.HealthStatus;
import nexus.security.Authenticator;
import nexus.security.Identity;
import nexus.security.Ticket;

class ExposureCheckTest {

    private final List<String> refusals = new ArrayList<>();

    /** An authenticator that only answers whether it is open. */
    private static final class Open implements Authenticator {
        volatile boolean open;

        Open(boolean open) {
            this.open = open;
        }

        @Override
        public Identity authenticate(String authorization, String address, String via) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Ticket issueTicket(Identity identity) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Identity redeemTicket(String ticket, Identity presenter, String address, String via) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Identity console() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean open() {
            return open;
        }
    }

    private ExposureCheck check(boolean open, String host, boolean insecure) {
        return check(new Open(open), host, insecure);
    }

    private ExposureCheck check(Open authenticator, String host, boolean insecure) {
        return new ExposureCheck(authenticator, host, insecure, refusals::add);
    }

    @Test
    void anOpenNodeOnLoopbackStartsAndIsUp() {
        for (String host : new String[] { "127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", " 127.0.0.1 " }) {
            ExposureCheck check = check(true, host, false);

            assertThat(refusals).as(host).isEmpty();
            assertThat(check.health().status()).as(host).isEqualTo(HealthStatus.UP);
            assertThat(check.health().detail()).as(host).contains("loopback only");
        }
    }

    @Test
    void anOpenNodeOnEveryInterfaceIsRefusedInOneLineSayingWhatToConfigure() {
        ExposureCheck check = check(true, "0.0.0.0", false);

        assertThat(refusals).hasSize(1);
        String line = refusals.get(0);
        assertThat(line).doesNotContain("\n")
                .startsWith("refusing to start: HTTP listens on 0.0.0.0 and RMA Nexus has no identities yet")
                .contains("nexus:token create NAME ROLE").contains("JWT issuer").contains("--insecure");
        assertThat(check.health().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void anUnsetOrBlankHostMeansEveryInterfaceAndIsRefused() {
        check(true, null, false);
        check(true, " ", false);

        assertThat(refusals).hasSize(2).allMatch(line -> line.contains("HTTP listens on every interface"));
    }

    @Test
    void anUnresolvableNameCountsAsExposed() {
        check(true, "no-such-host.invalid", false);

        assertThat(refusals).hasSize(1);
    }

    @Test
    void aNodeWithIdentitiesStartsOnTheNetworkAndIsUp() {
        ExposureCheck check = check(false, "0.0.0.0", false);

        assertThat(refusals).isEmpty();
        assertThat(check.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(check.health().detail()).isEqualTo("HTTP on 0.0.0.0; identities are configured");
    }

    @Test
    void insecureAllowsAnOpenNodeOnTheNetworkDegradedUntilAnIdentityExists() {
        Open authenticator = new Open(true);
        ExposureCheck check = check(authenticator, "0.0.0.0", true);

        assertThat(refusals).isEmpty();
        assertThat(check.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(check.health().detail()).contains("every client is admin").contains("--insecure");

        authenticator.open = false; // a token was created from the console
        assertThat(check.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void insecureOpensTheNodeOnlyUntilItsFirstIdentityNotAgainWhenTheLastIsGone() {
        Open authenticator = new Open(true);
        ExposureCheck check = check(authenticator, "0.0.0.0", true);
        assertThat(check.health().status()).isEqualTo(HealthStatus.DEGRADED);

        authenticator.open = false; // a token was created
        assertThat(check.health().status()).isEqualTo(HealthStatus.UP);
        authenticator.open = true; // and tokens.json moved away

        assertThat(check.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(check.health().detail()).isEqualTo("HTTP on 0.0.0.0 with no identities: nobody is admitted without"
                + " credentials; create a token or configure a JWT issuer");
    }

    @Test
    void aNodeOnTheNetworkWhoseLastIdentityIsRemovedIsDown() {
        Open authenticator = new Open(false);
        ExposureCheck check = check(authenticator, "10.1.2.3", false);

        authenticator.open = true;

        assertThat(refusals).as("checked once, at start").isEmpty();
        assertThat(check.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(check.health().detail()).startsWith("HTTP on 10.1.2.3 with no identities");
    }

    @Test
    void withoutAnAuthenticatorNothingIsDecidedAndTheNetworkIsDown() {
        ExposureCheck exposed = new ExposureCheck(null, "0.0.0.0", false, refusals::add);
        ExposureCheck local = new ExposureCheck(null, "127.0.0.1", false, refusals::add);

        assertThat(refusals).as("the authenticator may come a moment later: no refusal yet").isEmpty();
        assertThat(exposed.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(exposed.health().detail()).contains("no authenticator is running");
        assertThat(local.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void insecureChangesNothingOnLoopback() {
        ExposureCheck check = check(true, "127.0.0.1", true);

        assertThat(refusals).isEmpty();
        assertThat(check.health().status()).isEqualTo(HealthStatus.UP);
    }
}
