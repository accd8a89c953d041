package nexus.registry;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Objects;

import nexus.rma.Allocation;

/**
 * One tag: a path in the namespace and the allocation its value lives at.
 *
 * @param id          the tag's id (stable within a registry file)
 * @param path        the unique, slash-separated path, e.g. {@code plant1/line2/tt101}
 * @param allocation  where the value lives in RMA
 * @param unit        the engineering unit, or {@code null}
 * @param description a description, or {@code null}
 * @param writable    whether operators and clients may write the value
 * @param engLow      the engineering range's low end, or {@code null}
 * @param engHigh     the engineering range's high end, or {@code null}
 * @param properties  free-form properties (area, asset, …); unmodifiable
 * @param writeRoles  the roles that may write the tag (registry column {@code write_roles}, 2.1); empty
 *                    when the registry names none, and then the roles' own rules decide alone
 */
public record Tag(long id, String path, Allocation allocation, String unit, String description, boolean writable,
        Double engLow, Double engHigh, Map<String, String> properties, Set<String> writeRoles) {

    public Tag {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(allocation, "allocation");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        writeRoles = writeRoles == null || writeRoles.isEmpty() ? Set.of()
                : Collections.unmodifiableSortedSet(new TreeSet<>(writeRoles));
    }

    /** A tag whose registry names no write roles. */
    public Tag(long id, String path, Allocation allocation, String unit, String description, boolean writable,
            Double engLow, Double engHigh, Map<String, String> properties) {
        this(id, path, allocation, unit, description, writable, engLow, engHigh, properties, Set.of());
    }
}
