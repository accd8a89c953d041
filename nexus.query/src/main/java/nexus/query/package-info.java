/**
 * SELECT-only namespace resolution: SQL over the registry in, rows with live values from RMA out.
 *
 * <p>{@link nexus.query.QueryService#select} runs one SELECT against the registry's public views
 * ({@code tags}, {@code tag_properties}, {@code banks}, {@code alarms}) after a guard has accepted
 * it; every row that carries a tag id ({@code tags.id}, or {@code tag_id} from
 * {@code tag_properties} or {@code alarms}) also gets the tag's value, quality and timestamp, read
 * from RMA in a few merged block reads. {@link nexus.query.QueryService#explain} shows those reads.
 * Values for {@code ?} placeholders travel in {@link nexus.query.QueryOptions#params()} (1.1).
 *
 * <p>{@link nexus.query.TagService} (2.0) is the one road to a tag for every front-end: look up,
 * list, read many, watch and write, with every write rule and the audit record in one place. It lives
 * here, not in a bundle of its own, because its reads share the query engine's read planner, block
 * pool and admission control with users' SQL: a second bundle would need a second engine, or this
 * one exported. The engine alone runs users' SQL, on read-only connections of its own to the served
 * registry version's private copy; the registry exports no SQL connection.
 *
 * <p>2.2: {@link nexus.query.Quality#STALE}, the last value a federation mirror holds of a node that is
 * no longer current.
 *
 * <p>2.3: {@link nexus.query.Deadband}, the one deadband rule of streams and the Sparkplug edge;
 * {@link nexus.query.Quality#of} and {@link nexus.query.Quality#BAD_CONFIGURATION}.
 *
 * <p>2.4: {@link nexus.query.FindService}, tags found by a structured {@link nexus.query.FindFilter}
 * compiled to guarded, parameterised SQL plus a live filter on the values read
 * ({@link nexus.query.FindResult}, {@link nexus.query.FindPlan}); {@link nexus.query.FindAlarms},
 * what it asks of the alarm manager;
 * and {@link nexus.query.SnapshotService}, consistent snapshots of every tag a caller reads and
 * their checked restore.
 *
 * <p>2.5: {@link nexus.query.TagService#browse}, one level of the namespace ({@link nexus.query.TagFolder})
 * for tree browsers: the web console, the MCP server's tag resources, {@code GET /api/v1/browse};
 * {@link nexus.query.TagService#check}, a write checked and not made, for dry runs.
 *
 * <p>2.6: {@link nexus.query.ReadPlan#cache()}, what the result cache knows of an explained query
 * ({@link nexus.query.ReadPlan.CacheUse}: cacheable, cached now, the cache's hits, misses and hit rate).
 */
@Export
@Version("2.6.0")
package nexus.query;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
