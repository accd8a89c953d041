package nexus.shell.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;
import nexus.rma.ValueCodec;

/** {@code nexus:banks}, {@code nexus:dump} and {@code nexus:write}: RMA for operators debugging. */
@Component(service = MemoryCommands.class, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=banks",
        "osgi.command.function=dump",
        "osgi.command.function=write" })
public final class MemoryCommands {

    /** The most a dump shows at once. */
    static final int MAX_DUMP = 4096;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Descriptor("list the RMA banks: id, name, size, write sequence, last write")
    public String banks() {
        return MemoryText.banks(backend());
    }

    @Descriptor("show memory as hex and ASCII, from one consistent snapshot")
    public String dump(@Descriptor("bank name or id") String bank,
            @Descriptor("first byte") String offset,
            @Descriptor("number of bytes (at most 4096)") String length) {
        RmaBackend current = backend();
        Bank b = AllocationText.bank(current, bank);
        int from = AllocationText.number("offset", offset);
        int count = AllocationText.number("length", length);
        if (count < 1 || count > MAX_DUMP) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "length " + count + " is not 1 to " + MAX_DUMP);
        }
        b.checkRange(from, count);
        BlockRead block = new BlockRead(count).target(b.id(), from, count);
        current.read(block);
        if (!block.ok()) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "bank '" + b.name() + "' could not be read: " + block.status());
        }
        return "bank " + b.name() + ", sequence " + block.sequence() + "\n" + MemoryText.hexDump(from, block.data(), count);
    }

    @Descriptor("write a typed value, e.g. write process 12 UINT16 300, write process 4.3 BOOL true, write process 64 'STRING(16)' pump (quote STRING(n): Gogo runs what is in parentheses)")
    public String write(@Descriptor("bank name or id") String bank,
            @Descriptor("byte offset; offset.bit for BOOL") String place,
            @Descriptor("BOOL, INT8..INT64, UINT8..UINT32, FLOAT32, FLOAT64 or STRING(n)") String type,
            @Descriptor("the value") String value) {
        RmaBackend current = backend();
        Bank b = AllocationText.bank(current, bank);
        Allocation allocation = AllocationText.allocation(b, place, type);
        current.write(allocation, ValueCodec.parse(allocation, value));
        return "wrote " + value + " at " + allocation + " ('" + b.name() + "'), sequence " + current.sequence(b.id());
    }

    private RmaBackend backend() {
        RmaBackend current = backend;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no RMA backend is registered: see nexus:health");
        }
        return current;
    }
}
