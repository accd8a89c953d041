package nexus.registry;

import java.util.List;
import java.util.Objects;

import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * A part of the namespace another bundle holds, served in registry versions beside the registry
 * file's tags: a federation host's mirror of the nodes it hears. Its banks live in memory the
 * contributor keeps and writes; the registry gives them ids after the file's banks, its tags ids after
 * the file's tags, validates the whole, and serves it as a new version
 * ({@link TagRegistry#contribute}). Immutable.
 *
 * @param owner who contributes (e.g. {@code sparkplug}): a new contribution of the same owner
 *              replaces the last one
 * @param banks the contributed banks, in order; a tag's {@link nexus.rma.Allocation#bank()} is an
 *              index into this list
 * @param tags  the contributed tags (their {@link Tag#id()} is ignored: the version assigns ids);
 *              paths the registry file already has are left out of the version and reported
 * @since 2.2
 */
public record Contribution(String owner, List<ContributedBank> banks, List<Tag> tags) {

    public Contribution {
        Objects.requireNonNull(owner, "owner");
        banks = List.copyOf(banks);
        tags = List.copyOf(tags);
    }

    /**
     * One contributed bank and where its values live.
     *
     * @param name       the bank's name in the version (unique: no file bank and no other contributed
     *                   bank may have it), as {@link Bank} spells names
     * @param size       its size in bytes
     * @param source     what it mirrors, for {@code explain} and health (e.g. {@code sparkplug plant/nexus1})
     * @param memory     where the values live: reads and writes of the version's bank go to
     *                   {@code memoryBank} of this backend
     * @param memoryBank the bank's id in {@code memory}
     * @param writer     who carries writes to the bank's tags out at the node that owns them, or
     *                   {@code null} when they are written to {@code memory} like any bank's
     *                   ({@link Registry#remoteWriter(int)})
     */
    public record ContributedBank(String name, int size, String source, RmaBackend memory, int memoryBank,
            RemoteWriter writer) {
        public ContributedBank {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(memory, "memory");
        }

        /** A bank whose tags are written to {@code memory} (no remote writer). */
        public ContributedBank(String name, int size, String source, RmaBackend memory, int memoryBank) {
            this(name, size, source, memory, memoryBank, null);
        }
    }
}
