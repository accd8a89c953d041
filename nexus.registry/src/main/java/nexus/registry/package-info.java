/**
 * The SQLite metadata registry: the tag namespace, where each tag lives in RMA, units, properties
 * and alarm definitions. It holds metadata only, never a live value.
 *
 * <p>{@link nexus.registry.TagRegistry} is the service. Its {@link nexus.registry.Registry} is an
 * immutable, validated snapshot of one registry file: tags by path and id, the
 * {@link nexus.registry.AllocationIndex} the query engine reads instead of a second SQL round trip,
 * banks, alarm definitions and typed tag lookups (by path, by ids, by path prefix, by property),
 * all read from a private copy of the file taken when the version was loaded: an edit or damage on
 * disk never reaches a served version, it becomes a candidate for the next one. The registry exports
 * no SQL connection: only the query engine runs users' SQL, on read-only connections of its own to
 * the copy it leases ({@link nexus.registry.RegistryCopy}). A replaced file becomes a new snapshot
 * with a higher version (versions never repeat within a run); queries in flight finish on the old
 * one. The schema users query is specified in {@code docs/registry.md}.
 *
 * <p>2.2: {@link nexus.registry.Contribution}s — a namespace another bundle holds (a federation host's
 * mirrors), served in the versions beside the file's tags, its banks in memory the contributor keeps
 * ({@link nexus.registry.Registry#memory}); writes to a contributed tag that the node owning it carries
 * out ({@link nexus.registry.RemoteWriter}, {@link nexus.registry.Registry#remoteWriter}).
 *
 * <p>2.3: alarms on contributed tags, named by path and resolved per version
 * ({@link nexus.registry.AlarmDefinition#contributed}, {@link nexus.registry.AlarmDefinition#tagProblem},
 * {@link nexus.registry.AlarmDefinition#tagAbsent}).
 *
 * <p>2.4: {@link nexus.registry.Registry#withProperty(String, java.util.function.Consumer)}, the tags with a
 * property one at a time (a scan of a million tags no longer holds them all at once).
 */
@Export
@Version("2.4.0")
package nexus.registry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
