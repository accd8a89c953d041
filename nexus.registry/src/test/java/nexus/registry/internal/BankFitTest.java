package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.core.Health;
import nexus.core.HealthStatus;
import nexus.rma.Bank;

class BankFitTest {

    private static final List<Bank> DEMO = List.of(new Bank(0, "process", 65536), new Bank(1, "alarms", 8192));

    @Test
    void fitsWhenEveryBankIsThereAndLargeEnough() {
        Health health = BankFit.check(3, DEMO, List.of(new Bank(0, "process", 65536), new Bank(1, "alarms", 16384)), "heap");

        assertThat(health.status()).isEqualTo(HealthStatus.UP);
        assertThat(health.detail()).isEqualTo("registry version 3 fits backend heap: process:64k, alarms:8k");
    }

    @Test
    void aSmallerBankIsDownNamingTheBankTheSizesAndTheFix() {
        Health health = BankFit.check(1, DEMO, List.of(new Bank(0, "process", 32768), new Bank(1, "alarms", 8192)), "heap");

        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(health.detail()).isEqualTo("registry version 1 does not fit RMA backend heap: bank 'process' needs"
                + " 65536 bytes but has 32768. Set banks = process:64k, alarms:8k in etc/nexus.rma.cfg");
    }

    @Test
    void aMissingOrRenamedBankIsDown() {
        Health missing = BankFit.check(1, DEMO, List.of(new Bank(0, "process", 65536)), "mmap");
        Health renamed = BankFit.check(1, DEMO, List.of(new Bank(0, "values", 65536), new Bank(1, "alarms", 8192)), "mmap");

        assertThat(missing.detail()).contains("bank 1 'alarms' (8192 bytes) is missing");
        assertThat(renamed.detail()).contains("bank 0 is 'process' in the registry but 'values' in the backend");
        assertThat(List.of(missing.status(), renamed.status())).containsOnly(HealthStatus.DOWN);
    }

    @Test
    void spellsOddSizesInBytes() {
        assertThat(BankFit.layout(List.of(new Bank(0, "a", 1000), new Bank(1, "b", 2 * 1024 * 1024))))
                .isEqualTo("a:1000, b:2m");
    }
}
