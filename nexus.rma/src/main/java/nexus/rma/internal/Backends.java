package nexus.rma.internal;

import java.nio.file.Path;
import java.util.List;

import nexus.rma.Bank;
import nexus.rma.RmaBackend;
import nexus.rma.RmaBackends;

/** Backs {@link RmaBackends}: the public plain-Java entry to the built-in backends. */
public final class Backends {

    private Backends() {
    }

    public static RmaBackend heap(List<Bank> banks) {
        return new HeapRmaBackend(banks);
    }

    public static RmaBackend mmap(Path file, List<Bank> banks) {
        return MappedRmaBackend.open(file, banks);
    }

    public static List<Bank> layout(String layout) {
        return BankLayout.parse(layout);
    }
}
