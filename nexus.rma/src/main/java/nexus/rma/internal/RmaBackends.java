package nexus.rma.internal;

import java.nio.file.Path;
import java.util.List;

import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * The built-in backends in plain Java, without the OSGi service: for tools, tests and benchmarks.
 * The same implementations the {@code nexus.rma} component registers.
 *
 * <p>Not a contract: it lives in the internal package, so a bundle never imports it (an exported
 * package may not reach into an internal one, docs/architecture.md). Code on a plain class path,
 * such as other bundles' unit tests, the benchmarks and the integration tests' set-up, may use it.
 */
public final class RmaBackends {

    private RmaBackends() {
    }

    /** @return a heap backend with these banks, all zero */
    public static RmaBackend heap(List<Bank> banks) {
        return new HeapRmaBackend(banks);
    }

    /**
     * @return an mmap backend on this file (created with the layout when missing)
     * @throws nexus.core.NexusException INVALID_ARGUMENT when an existing file does not match
     */
    public static RmaBackend mmap(Path file, List<Bank> banks) {
        return MappedRmaBackend.open(file, banks);
    }

    /**
     * @param layout banks as configuration text, e.g. {@code process:64k, alarms:8k}
     * @return the banks, ids in order from 0
     */
    public static List<Bank> layout(String layout) {
        return BankLayout.parse(layout);
    }
}
