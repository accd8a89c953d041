package nexus.query;

import java.util.List;

/**
 * The tags the rows of a query carry ({@link QueryService#selectTags}).
 *
 * @param paths           the tags' paths, in row order, each once
 * @param truncated       whether more rows matched than the row limit allowed (the tags of the
 *                        rows left out are not in {@code paths})
 * @param registryVersion the registry version the query ran against
 * @since 2.1
 */
public record TagSelection(List<String> paths, boolean truncated, long registryVersion) {

    public TagSelection {
        paths = List.copyOf(paths);
    }
}
