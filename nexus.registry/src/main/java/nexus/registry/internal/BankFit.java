package nexus.registry.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import nexus.core.Health;
import nexus.registry.Registry;
import nexus.rma.Bank;

/**
 * Whether the RMA backend in use has the banks a registry version addresses: every bank of the
 * registry, by id, with the same name and at least its size. A registry whose tags lie beyond the
 * end of a bank would otherwise read BAD values and freeze its alarms without a word.
 */
final class BankFit {

    private BankFit() {
    }

    /**
     * @param registry the registry version's banks, in id order
     * @param backend  the backend's banks, in id order
     * @param name     the backend's name, for the message
     * @return UP when every registry bank fits, DOWN naming each bank that does not and the
     *         {@code banks} line that would fit
     */
    static Health check(long version, List<Bank> registry, List<Bank> backend, String name) {
        List<String> misfits = new ArrayList<>();
        for (Bank wanted : registry) {
            Bank held = wanted.id() < backend.size() ? backend.get(wanted.id()) : null;
            if (held == null) {
                misfits.add("bank " + wanted.id() + " '" + wanted.name() + "' (" + wanted.size() + " bytes) is missing");
            } else if (!held.name().equals(wanted.name())) {
                misfits.add("bank " + wanted.id() + " is '" + wanted.name() + "' in the registry but '" + held.name()
                        + "' in the backend");
            } else if (held.size() < wanted.size()) {
                misfits.add("bank '" + wanted.name() + "' needs " + wanted.size() + " bytes but has " + held.size());
            }
        }
        if (misfits.isEmpty()) {
            return Health.up("registry version " + version + " fits backend " + name + ": " + layout(registry));
        }
        return Health.down("registry version " + version + " does not fit RMA backend " + name + ": "
                + String.join("; ", misfits) + ". Set banks = " + layout(registry) + " in etc/nexus.rma.cfg");
    }

    /**
     * @return the version's banks the node's backend must hold: the registry file's, not the
     *         contributed ones (they live in memory their contributor keeps)
     */
    static List<Bank> fileBanks(Registry registry) {
        return registry.banks().stream().filter(bank -> registry.bankSource(bank.id()).isEmpty()).toList();
    }

    /** @return the banks as etc/nexus.rma.cfg spells them, e.g. {@code process:64k, alarms:8k} */
    static String layout(List<Bank> banks) {
        List<String> parts = new ArrayList<>();
        for (Bank bank : banks) {
            int size = bank.size();
            String text = size % (1024 * 1024) == 0 ? size / (1024 * 1024) + "m"
                    : size % 1024 == 0 ? size / 1024 + "k" : Integer.toString(size);
            parts.add(bank.name() + ":" + text.toLowerCase(Locale.ROOT));
        }
        return String.join(", ", parts);
    }
}
