package nexus.query;

import java.util.List;

/**
 * One page of a listing by path prefix, in path order.
 *
 * @param items           the tags of this page with their values
 * @param cursor          the opaque cursor that gives the next page, or {@code null} when this is the last
 * @param registryVersion the registry version the page was listed from
 * @since 1.2
 */
public record TagPage(List<TagReading> items, String cursor, long registryVersion) {
    public TagPage {
        items = List.copyOf(items);
    }
}
