package nexus.bench.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleLoadTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(ConsoleLoad.median(new double[] {392, 164, 176, 184, 140})).isEqualTo(176);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(ConsoleLoad.median(new double[] {400, 100, 300, 200})).isEqualTo(250);
    }

    @Test
    void medianOfNothingIsNotANumber() {
        assertThat(ConsoleLoad.median(new double[0])).isNaN();
    }

    @Test
    void theFolderClickedIsTheParentOfTheDeepestFolder() {
        assertThat(ConsoleLoad.parent("site1/area1/line1/pump1")).isEqualTo("site1/area1/line1");
        assertThat(ConsoleLoad.parent("site1")).isEqualTo("site1");
    }
}
