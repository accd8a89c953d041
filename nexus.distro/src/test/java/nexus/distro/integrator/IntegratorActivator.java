package nexus.distro.integrator;

import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;

/**
 * An integrator's own RMA backend in miniature, registered with ranking 100 so that it outranks
 * the configured one. The integration tests pack this package into a bundle and drop it into
 * {@code deploy/}.
 */
public final class IntegratorActivator implements BundleActivator {

    /** One bank of 32 bytes, held in an array; enough to show who answers. */
    static final class PlantBackend implements RmaBackend {
        private final List<Bank> banks = List.of(new Bank(0, "plc", 32));
        private final byte[] data = new byte[32];
        private long sequence;

        @Override
        public String name() {
            return "integrator";
        }

        @Override
        public List<Bank> banks() {
            return banks;
        }

        @Override
        public synchronized void read(BlockRead block) {
            if (block.bank() != 0) {
                block.fail(ReadStatus.UNKNOWN_BANK);
            } else if (!banks.get(0).contains(block.offset(), block.length())) {
                block.fail(ReadStatus.OUT_OF_RANGE);
            } else {
                System.arraycopy(data, block.offset(), block.data(), 0, block.length());
                block.complete(sequence, 0);
            }
        }

        @Override
        public synchronized void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
            known(bank).checkRange(offset, length);
            System.arraycopy(source, sourceOffset, data, offset, length);
            sequence++;
        }

        @Override
        public synchronized void writeBit(int bank, int byteOffset, int bit, boolean value) {
            known(bank).checkRange(byteOffset, 1);
            data[byteOffset] = (byte) (value ? data[byteOffset] | 1 << bit : data[byteOffset] & ~(1 << bit));
            sequence++;
        }

        @Override
        public synchronized long sequence(int bank) {
            known(bank);
            return sequence;
        }

        @Override
        public long lastWriteNanos(int bank) {
            known(bank);
            return 0;
        }

        private Bank known(int bank) {
            if (bank != 0) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "no bank " + bank);
            }
            return banks.get(0);
        }
    }

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(RmaBackend.BACKEND_PROPERTY, "integrator");
        properties.put(Constants.SERVICE_RANKING, 100);
        context.registerService(RmaBackend.class, new PlantBackend(), properties);
    }

    @Override
    public void stop(BundleContext context) {
        // The framework unregisters the service.
    }
}
