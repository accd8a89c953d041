package nexus.rma.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;

class HeapRmaBackendTest extends RmaBackendContract {

    @Override
    RmaBackend backend() {
        return new HeapRmaBackend(LAYOUT);
    }

    @Test
    void aClosedBackendAnswersUnavailable() {
        HeapRmaBackend backend = new HeapRmaBackend(LAYOUT);
        backend.close();

        BlockRead block = new BlockRead(8).target(0, 0, 8);
        backend.read(block);
        assertThat(block.status()).isEqualTo(ReadStatus.UNAVAILABLE);
        assertThatThrownBy(() -> backend.write(0, 0, new byte[1], 0, 1))
                .isInstanceOf(NexusException.class)
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
    }
}
