package nexus.rma.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Bank;

/** The bank layout of a backend, parsed from configuration text such as {@code process:65536, alarms:8192}. */
final class BankLayout {

    /** The largest total a layout may have: one mapping of the shared-memory backend. */
    static final long MAX_TOTAL = Integer.MAX_VALUE - (1 << 20);

    private BankLayout() {
    }

    /**
     * @param text comma-separated {@code name:size} pairs; ids follow the order, from 0; sizes may
     *             end in {@code k} or {@code m} (KiB, MiB)
     * @return the banks
     * @throws NexusException INVALID_ARGUMENT saying which entry is wrong and what is expected
     */
    static List<Bank> parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("no banks are configured: set banks, for example banks = process:64k, alarms:8k");
        }
        List<Bank> banks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long total = 0;
        for (String entry : text.split(",")) {
            String e = entry.strip();
            int colon = e.indexOf(':');
            if (colon < 0) {
                throw invalid("bank entry '" + e + "' is not name:size (for example process:64k)");
            }
            String name = e.substring(0, colon).strip();
            int size = size(name, e.substring(colon + 1).strip());
            if (!names.add(name)) {
                throw invalid("bank '" + name + "' is configured twice");
            }
            banks.add(new Bank(banks.size(), name, size));
            total += size;
        }
        if (total > MAX_TOTAL) {
            throw invalid("the banks add up to " + total + " bytes; at most " + MAX_TOTAL + " are supported");
        }
        return List.copyOf(banks);
    }

    /** @return the layout as configuration text */
    static String format(List<Bank> banks) {
        return banks.stream().map(b -> b.name() + ":" + b.size()).collect(Collectors.joining(", "));
    }

    private static int size(String name, String text) {
        long factor = 1;
        String digits = text;
        if (text.endsWith("k") || text.endsWith("K")) {
            factor = 1024;
            digits = text.substring(0, text.length() - 1);
        } else if (text.endsWith("m") || text.endsWith("M")) {
            factor = 1024 * 1024;
            digits = text.substring(0, text.length() - 1);
        }
        try {
            long size = Long.parseLong(digits.strip()) * factor;
            if (size < 1 || size > MAX_TOTAL) {
                throw invalid("bank '" + name + "' has size " + text + ": a size is 1 byte to " + MAX_TOTAL + " bytes");
            }
            return (int) size;
        } catch (NumberFormatException e) {
            throw invalid("bank '" + name + "' has size '" + text + "': a size is a number of bytes, optionally with k or m");
        }
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
