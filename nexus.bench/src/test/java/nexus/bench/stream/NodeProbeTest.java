package nexus.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class NodeProbeTest {

    @Test
    void cpuTicksAreUserPlusSystemTimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (java (nexus) x) S 1 4242 4242 0 -1 4194560 12034 0 3 0 1500 250 0 0 20 0 45 0 123456 "
                + "3000000000 50000 18446744073709551615 1 1 0 0 0 0 0 2 16800973 0 0 0 17 1 0 0 0 0 0";

        assertThat(NodeProbe.cpuTicks(stat)).isEqualTo(1750);
    }

    @Test
    void heapIsTheUsedFigureOfTheHeapLinesWithoutMetaspace() throws IOException {
        String g1 = """
                4242:
                 garbage-first heap   total 65536K, used 23552K [0x00000000e0000000, 0x0000000100000000)
                  region size 1024K, 2 young (2048K), 0 survivors (0K)
                 Metaspace       used 33512K, committed 33920K, reserved 1114112K
                  class space    used 3901K, committed 4096K, reserved 1048576K
                """;
        String parallel = """
                4242:
                 PSYoungGen      total 76288K, used 3932K [0x000000076ab00000, 0x0000000770000000, 0x00000007c0000000)
                  eden space 65536K, 6% used [0x000000076ab00000,0x000000076aed7240,0x000000076eb00000)
                 ParOldGen       total 175104K, used 1024K [0x00000006c0000000, 0x00000006cab00000, 0x000000076ab00000)
                 Metaspace       used 3000K, committed 3200K, reserved 1056768K
                """;

        assertThat(NodeProbe.heapUsedBytes(g1)).isEqualTo(23552L * 1024);
        assertThat(NodeProbe.heapUsedBytes(parallel)).isEqualTo((3932L + 1024) * 1024);
        assertThat(NodeProbe.heapUsedBytes(" ZHeap           used 30M, capacity 64M, max capacity 512M")).isEqualTo(30L << 20);
        assertThatThrownBy(() -> NodeProbe.heapUsedBytes("4242:\nCould not find any process")).isInstanceOf(IOException.class)
                .hasMessageContaining("printed no heap figure");
    }
}
