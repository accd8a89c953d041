package nexus.query;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Change detection over a fixed set of tags, for streams and federation: each {@link #poll()}
 * answers the tags whose value or quality changed since the previous one. A bank whose write
 * sequence has not moved is not read at all, so polling an idle plant costs a few sequence checks.
 * Not thread-safe: one poller per watch.
 *
 * @since 1.2
 */
@ProviderType
public interface TagWatch extends AutoCloseable {

    /**
     * @return the tags that changed since the last poll (all of them at the first poll), in the
     *         order they were given. When the registry version changes, paths are resolved again:
     *         a tag no longer in the registry is answered once with quality
     *         {@link Quality#BAD_NOT_IN_REGISTRY} and then left out until it returns.
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE when no registry is served
     * @throws IllegalStateException     after {@link #close()}
     */
    List<TagReading> poll();

    /** @return the registry version the last poll resolved the paths in */
    long registryVersion();

    /** Ends the watch; {@link #poll()} then throws. */
    @Override
    void close();
}
