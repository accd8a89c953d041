package nexus.registry;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * One validated registry file, immutable: what {@link TagRegistry#current()} serves until a
 * replacement is validated and swapped in. Thread-safe.
 */
@ProviderType
public interface Registry {

    /**
     * @return the version: increases with every registry swapped in (a replaced file, another file
     *         configured, a fallback copy) and never repeats within a run of the node; compare
     *         registries by identity or version, never by file name
     */
    long version();

    /** @return the registry file the version was loaded from (it is served from a private copy) */
    String file();

    /** @return the banks the registry defines, in id order */
    List<Bank> banks();

    /** @return the allocation of every tag, by id */
    AllocationIndex index();

    /** @return the alarm definitions, in id order */
    List<AlarmDefinition> alarms();

    /**
     * @return the tag with this path, with its properties (read from the version's private copy; a
     *         few microseconds, and cached once found)
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE when this registry has been retired or its
     *                                   copy cannot be read
     */
    Optional<Tag> tag(String path);

    /**
     * @return the tag with this id, with its properties
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE as {@link #tag(String)}
     */
    Optional<Tag> tag(long id);

    /**
     * Looks many tags up by id at once (one statement, not one per id). Properties are left out
     * (every tag's map is empty): reading them for many tags costs several times the lookup itself;
     * {@link #tag(long)} gives them.
     *
     * @param ids tag ids, in any order, repeats allowed
     * @return one entry per id, in the same order: the tag, or {@code null} for an id no tag of this
     *         version has
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE as {@link #tag(String)}
     * @since 2.0
     */
    List<Tag> tags(long[] ids);

    /**
     * One page of the tags whose path starts with a prefix, in path order (SQLite's binary order of
     * the paths' UTF-8 bytes), for paged listings: pass the last path of a page as {@code afterPath}
     * to get the next one. Properties are left out (every tag's map is empty).
     *
     * @param prefix    the path prefix; empty for every tag
     * @param afterPath only paths after this one; {@code null} from the first
     * @param limit     the most tags to return (at least 1)
     * @return at most {@code limit} tags
     * @throws IllegalArgumentException when {@code limit} is below 1
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE as {@link #tag(String)}
     * @since 2.0
     */
    List<Tag> tags(String prefix, String afterPath, int limit);

    /**
     * @param key a property key, e.g. {@code simulate}
     * @return the tags that have this property (whatever its value), in id order, with all their
     *         properties
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE as {@link #tag(String)}
     * @since 2.0
     */
    List<Tag> withProperty(String key);

    /**
     * The tags that have a property, as {@link #withProperty(String)} finds them (in id order, with all
     * their properties), handed over one at a time instead of in one list: a scan of a million tags
     * (the simulator's, at start and on every new version) then holds one tag at a time, where the list
     * would hold them all with their property maps at once (about 700 bytes a tag).
     *
     * @param key  a property key, e.g. {@code simulate}
     * @param each called once per tag, in id order, on the calling thread while one of this version's
     *             connections is held: it should not look tags up in the registry itself
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE as {@link #tag(String)}
     * @since 2.4
     */
    default void withProperty(String key, Consumer<Tag> each) {
        withProperty(key).forEach(each);
    }

    /**
     * Leases this version's private copy, for the query engine's own read-only SQL connections (see
     * {@link RegistryCopy}). Close the lease when its connections are closed.
     *
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE when this registry has been retired
     * @since 2.0
     */
    RegistryCopy leaseCopy();

    /**
     * Where this version's values live. A version with {@linkplain Contribution contributed} banks
     * reads and writes them where their contributor keeps them, and every other bank in the node's
     * backend: read a version's tags through the memory it answers, never through the backend alone.
     *
     * @param local the node's RMA backend in use, or {@code null} when there is none
     * @return {@code local} when the version has no contributed banks; else a view over both (its
     *         {@link RmaBackend#banks()} are this version's banks), or {@code null} when {@code local}
     *         is {@code null}
     * @since 2.2
     */
    default RmaBackend memory(RmaBackend local) {
        return local;
    }

    /**
     * @param bank a bank id of this version
     * @return what a contributed bank mirrors ({@link Contribution.ContributedBank#source()}), for
     *         {@code explain}; empty for the registry file's banks
     * @since 2.2
     */
    default Optional<String> bankSource(int bank) {
        return Optional.empty();
    }

    /**
     * @param bank a bank id of this version
     * @return who writes the bank's tags at the node that owns them
     *         ({@link Contribution.ContributedBank#writer()}): a write to such a tag goes to it, never to
     *         {@link #memory}; empty for the registry file's banks and contributed banks without one
     * @since 2.2
     */
    default Optional<RemoteWriter> remoteWriter(int bank) {
        return Optional.empty();
    }
}
