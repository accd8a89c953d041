package nexus.shell.internal;

import java.time.Instant;

import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/** Renders banks and memory for the console. */
final class MemoryText {

    private MemoryText() {
    }

    static String banks(RmaBackend backend) {
        StringBuilder text = new StringBuilder("backend ").append(backend.name()).append('\n');
        int width = Math.max(4, backend.banks().stream().mapToInt(b -> b.name().length()).max().orElse(0));
        text.append(String.format("  %-3s %-" + width + "s %10s %10s  %s\n", "id", "name", "size", "sequence", "last write"));
        for (Bank bank : backend.banks()) {
            long written = backend.lastWriteNanos(bank.id());
            String when = written == 0 ? "never"
                    : Instant.ofEpochSecond(written / 1_000_000_000L, written % 1_000_000_000L).toString();
            text.append(String.format("  %-3d %-" + width + "s %10d %10d  %s\n", bank.id(), bank.name(), bank.size(),
                    backend.sequence(bank.id()), when));
        }
        return text.toString();
    }

    /** Sixteen bytes a line: offset, hex, printable ASCII (others as '.'). */
    static String hexDump(int offset, byte[] data, int length) {
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < length; line += 16) {
            text.append(String.format("%08x ", offset + line));
            StringBuilder ascii = new StringBuilder();
            for (int i = line; i < line + 16; i++) {
                if (i < length) {
                    int b = data[i] & 0xFF;
                    text.append(String.format(" %02x", b));
                    ascii.append(b >= 32 && b < 127 ? (char) b : '.');
                } else {
                    text.append("   ");
                }
            }
            text.append("  ").append(ascii).append('\n');
        }
        return text.toString();
    }
}
