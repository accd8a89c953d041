package nexus.rma;

import java.nio.file.Path;
import java.util.List;

import nexus.rma.internal.Backends;

/**
 * The built-in backends in plain Java, without the OSGi service: for tools, tests, benchmarks and
 * integrators who embed RMA. The same implementations the {@code nexus.rma} component registers.
 */
public final class RmaBackends {

    private RmaBackends() {
    }

    /** @return a heap backend with these banks, all zero */
    public static RmaBackend heap(List<Bank> banks) {
        return Backends.heap(banks);
    }

    /**
     * @return an mmap backend on this file (created with the layout when missing)
     * @throws nexus.core.NexusException INVALID_ARGUMENT when an existing file does not match
     */
    public static RmaBackend mmap(Path file, List<Bank> banks) {
        return Backends.mmap(file, banks);
    }

    /**
     * @param layout banks as configuration text, e.g. {@code process:64k, alarms:8k}
     * @return the banks, ids in order from 0
     */
    public static List<Bank> layout(String layout) {
        return Backends.layout(layout);
    }
}
