package nexus.query;

import java.util.List;

/**
 * One level of the tag namespace: the children of a path prefix, as a tree browser shows a folder.
 *
 * @param prefix          the folder's path ({@code ""} for the roots), without a trailing slash
 * @param children        the next path segment of every tag under the prefix the caller may read, in
 *                        path order, at most the limit asked for
 * @param complete        {@code false} when there are more children than the limit (the rest are left out)
 * @param registryVersion the registry version the folder was read from
 * @since 2.5
 */
public record TagFolder(String prefix, List<Child> children, boolean complete, long registryVersion) {

    public TagFolder {
        children = List.copyOf(children);
    }

    /**
     * One child of a folder.
     *
     * @param name the path segment
     * @param path the child's full path ({@code prefix/name}, or {@code name} at the root)
     * @param tags how many tags the caller may read at or under this path (a tag counts itself)
     * @param tag  whether the child is itself a tag (it may hold tags under it too)
     */
    public record Child(String name, String path, long tags, boolean tag) {
    }
}
