package nexus.security.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import nexus.registry.Registry;
import nexus.registry.Tag;

/**
 * Who may write what in one registry version, as the registry says it: the writable tags, each
 * with the roles its {@code write_roles} names (empty: the roles' own rules decide alone). A tag
 * that is not writable is written by nobody, whatever roles it names, so it is not kept.
 *
 * @param version  the registry version
 * @param file     the registry file it was loaded from
 * @param writable the writable tags' paths, sorted, with their write roles; unmodifiable
 */
record TagWriteRoles(long version, String file, Map<String, Set<String>> writable) {

    /** Tags read per page when a registry version is read whole. */
    private static final int PAGE = 1000;

    /** The most changed tags one audit record lists; the rest are counted. */
    static final int LISTED = 50;

    TagWriteRoles {
        writable = Collections.unmodifiableMap(new TreeMap<>(writable));
    }

    /** @return who may write these tags */
    static TagWriteRoles of(long version, String file, Iterable<Tag> tags) {
        Map<String, Set<String>> writable = new TreeMap<>();
        for (Tag tag : tags) {
            if (tag.writable()) {
                writable.put(tag.path(), tag.writeRoles());
            }
        }
        return new TagWriteRoles(version, file, writable);
    }

    /**
     * Reads every tag of a registry version, page by page.
     *
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE when the version was retired meanwhile
     */
    static TagWriteRoles of(Registry registry) {
        List<Tag> tags = new ArrayList<>();
        String after = null;
        while (true) {
            List<Tag> page = registry.tags("", after, PAGE);
            tags.addAll(page);
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).path();
        }
        return of(registry.version(), registry.file(), tags);
    }

    /**
     * @return how who may write what changed from an earlier version to this one, one entry per tag
     *         in path order: {@code a/b: writable, write_roles operator} (newly writable),
     *         {@code a/b: no longer writable}, {@code a/b: write_roles operator -> engineer}
     */
    List<String> changesSince(TagWriteRoles before) {
        Set<String> paths = new TreeSet<>(before.writable.keySet());
        paths.addAll(writable.keySet());
        List<String> changes = new ArrayList<>();
        for (String path : paths) {
            Set<String> was = before.writable.get(path);
            Set<String> now = writable.get(path);
            if (was == null) {
                changes.add(path + ": writable, write_roles " + roles(now));
            } else if (now == null) {
                changes.add(path + ": no longer writable (write_roles were " + roles(was) + ")");
            } else if (!was.equals(now)) {
                changes.add(path + ": write_roles " + roles(was) + " -> " + roles(now));
            }
        }
        return changes;
    }

    /** @return the detail of the audit record of these changes: the first {@value #LISTED}, the rest counted */
    String detail(TagWriteRoles before, List<String> changes) {
        StringBuilder detail = new StringBuilder().append("registry version ").append(version).append(" (")
                .append(file).append(") changes who may write ").append(changes.size())
                .append(changes.size() == 1 ? " tag" : " tags").append(" since version ").append(before.version)
                .append(": ");
        detail.append(String.join("; ", changes.subList(0, Math.min(LISTED, changes.size()))));
        if (changes.size() > LISTED) {
            detail.append("; and ").append(changes.size() - LISTED).append(" more");
        }
        return detail.toString();
    }

    private static String roles(Set<String> roles) {
        return roles.isEmpty() ? "none (any role that may write)" : String.join(", ", roles);
    }
}
