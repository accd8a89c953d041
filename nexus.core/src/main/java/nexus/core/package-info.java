/**
 * Contracts shared by every RMA Nexus bundle.
 *
 * <ul>
 *   <li>{@link nexus.core.NexusException} with a stable {@link nexus.core.ErrorCode}: the one
 *       unchecked exception that crosses bundle boundaries. Front-ends map codes to their own
 *       vocabulary (HTTP status, shell message) in one place.</li>
 *   <li>The health contract: a bundle registers one {@link nexus.core.HealthIndicator} service per
 *       component it wants to report; {@link nexus.core.HealthReport#of} aggregates whatever
 *       indicators are registered, so adding a bundle never means editing an endpoint.</li>
 *   <li>Access control: a {@link nexus.core.Caller} is who asks, an {@link nexus.core.AccessPolicy}
 *       turns its roles into an {@link nexus.core.Access} (permissions, the part of the namespace
 *       it sees and the part it writes), and every act is an {@link nexus.core.AuditRecord} on the
 *       {@link nexus.core.AuditTrail}.</li>
 *   <li>{@link nexus.core.TagPath} (2.2.0): the one rule a tag path follows, wherever it enters.</li>
 *   <li>{@link nexus.core.PathScope#matches(String[], String)} (2.3.0): one glob against a path, in
 *       bounded time — the one matcher of scopes and of SQL's {@code path_glob};
 *       {@link nexus.core.AuditRecord.Target#TOOL} (2.3.0): an AI adapter's tool call.</li>
 * </ul>
 *
 * <p>Every type here is immutable and thread-safe unless it says otherwise; no method accepts or
 * returns {@code null} unless it says so.
 */
@Export
@Version("2.3.0")
package nexus.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
