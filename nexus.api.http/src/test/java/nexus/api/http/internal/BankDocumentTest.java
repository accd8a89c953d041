package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.core.ErrorCode;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;

class BankDocumentTest {

    /** A fixed backend: two banks, one written once. */
    static final class FixedBackend implements RmaBackend {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public List<Bank> banks() {
            return List.of(new Bank(0, "process", 65536), new Bank(1, "alarms", 8192));
        }

        @Override
        public void read(BlockRead block) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeBit(int bank, int byteOffset, int bit, boolean value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long sequence(int bank) {
            return bank == 0 ? 42 : 0;
        }

        @Override
        public long lastWriteNanos(int bank) {
            return bank == 0 ? 1_795_000_000_123_456_789L : 0;
        }
    }

    @Test
    void rendersBanksWithIsoTimes() throws Exception {
        String json = new ObjectMapper().writeValueAsString(BankDocument.of(new FixedBackend()));

        assertThat(json).isEqualTo("{\"backend\":\"fixed\",\"banks\":["
                + "{\"id\":0,\"name\":\"process\",\"size\":65536,\"sequence\":42,\"lastWrite\":\"2026-11-18T11:06:40.123456789Z\"},"
                + "{\"id\":1,\"name\":\"alarms\",\"size\":8192,\"sequence\":0,\"lastWrite\":null}]}");
    }

    @Test
    void aScopedCallerGetsTheBanksItSeesWithoutTheirActivity() throws Exception {
        String json = new ObjectMapper().writeValueAsString(BankDocument.of(new FixedBackend(), java.util.Set.of(1)));

        assertThat(json).isEqualTo("{\"backend\":\"fixed\",\"banks\":[{\"id\":1,\"name\":\"alarms\"}]}");
    }

    @Test
    void problemsCarryTheStableCodeAndTheStatus() {
        var problem = Problems.document(ErrorCode.BACKEND_UNAVAILABLE, "no RMA backend is registered");

        assertThat(problem).containsEntry("type", "urn:rma-nexus:problem:backend-unavailable")
                .containsEntry("status", 503)
                .containsEntry("code", "BACKEND_UNAVAILABLE")
                .containsEntry("title", "Backend unavailable")
                .containsEntry("detail", "no RMA backend is registered");
        assertThat(Problems.status(ErrorCode.INVALID_ARGUMENT)).isEqualTo(400);
        assertThat(Problems.status(ErrorCode.TAG_NOT_FOUND)).isEqualTo(404);
    }
}
