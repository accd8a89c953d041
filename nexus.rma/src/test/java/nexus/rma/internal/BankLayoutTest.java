package nexus.rma.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.rma.Bank;

class BankLayoutTest {

    @Test
    void parsesNamesAndSizesInIdOrder() {
        assertThat(BankLayout.parse(" process:64k, alarms:8192 ,big:2m"))
                .containsExactly(new Bank(0, "process", 65536), new Bank(1, "alarms", 8192), new Bank(2, "big", 2 << 20));
        assertThat(BankLayout.format(List.of(new Bank(0, "a", 1), new Bank(1, "b", 2)))).isEqualTo("a:1, b:2");
    }

    @Test
    void saysWhatIsWrongWithABadLayout() {
        assertThatThrownBy(() -> BankLayout.parse(" ")).hasMessageStartingWith("no banks are configured");
        assertThatThrownBy(() -> BankLayout.parse("process")).hasMessage("bank entry 'process' is not name:size (for example process:64k)");
        assertThatThrownBy(() -> BankLayout.parse("process:lots")).hasMessageStartingWith("bank 'process' has size 'lots'");
        assertThatThrownBy(() -> BankLayout.parse("process:0")).hasMessageStartingWith("bank 'process' has size 0");
        assertThatThrownBy(() -> BankLayout.parse("a:1,a:2")).hasMessage("bank 'a' is configured twice");
        assertThatThrownBy(() -> BankLayout.parse("Bad Name:1")).hasMessageContaining("is not valid");
        assertThatThrownBy(() -> BankLayout.parse("a:1500m,b:1500m")).hasMessageStartingWith("the banks add up to");
    }
}
