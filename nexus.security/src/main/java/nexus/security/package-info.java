/**
 * Who a request is. Front-ends (HTTP, streams, the AI adapter, federation) hand the credentials a
 * request carries to the {@link nexus.security.Authenticator} and act as the {@link nexus.security.Identity}
 * it answers; what that identity may do is the {@link nexus.core.AccessPolicy}'s answer, in
 * {@code nexus.core}, which the tag service, the query engine and the alarm service ask themselves.
 * Administration (tokens, roles) goes through {@link nexus.security.SecurityAdmin}. docs/security.md
 * has the threat model and the roles.
 */
@Export
@Version("1.0.0")
package nexus.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
