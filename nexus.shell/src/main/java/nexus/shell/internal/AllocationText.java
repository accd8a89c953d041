package nexus.shell.internal;

import java.util.Locale;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;

/**
 * Reads the operator's way of naming memory, the same as tools/rma.py: a bank by name or id, an
 * offset with an optional {@code .bit} for BOOL, a type such as {@code UINT16} or {@code STRING(16)}.
 */
final class AllocationText {

    private AllocationText() {
    }

    static Bank bank(RmaBackend backend, String text) {
        String t = text.strip();
        var bank = backend.bank(t);
        if (bank.isEmpty() && t.chars().allMatch(Character::isDigit) && !t.isEmpty() && t.length() < 10) {
            bank = backend.bank(Integer.parseInt(t));
        }
        return bank.orElseThrow(() -> invalid("no bank '" + t + "' (banks: "
                + String.join(", ", backend.banks().stream().map(Bank::name).toList()) + ")"));
    }

    static int number(String what, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw invalid(what + " '" + text + "' is not a whole number");
        }
    }

    static Allocation allocation(Bank bank, String place, String type) {
        String t = type.strip().toUpperCase(Locale.ROOT);
        String offsetText = place.strip();
        String bitText = null;
        int dot = offsetText.indexOf('.');
        if (dot >= 0) {
            bitText = offsetText.substring(dot + 1);
            offsetText = offsetText.substring(0, dot);
        }
        int offset = number("offset", offsetText);
        Allocation allocation;
        if (t.startsWith("STRING(") && t.endsWith(")")) {
            allocation = Allocation.string(bank.id(), offset, number("STRING length", t.substring(7, t.length() - 1)));
        } else {
            RmaType rmaType = RmaType.parse(t);
            if (rmaType == RmaType.STRING) {
                throw invalid("STRING needs its length: STRING(n)");
            }
            allocation = rmaType == RmaType.BOOL
                    ? Allocation.bool(bank.id(), offset, bitText == null ? 0 : number("bit", bitText))
                    : Allocation.of(bank.id(), offset, rmaType);
        }
        if (bitText != null && allocation.type() != RmaType.BOOL) {
            throw invalid("only BOOL has a bit number: write " + offsetText + " for " + allocation.type());
        }
        allocation.checkFits(bank);
        return allocation;
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
