/**
 * Live streams: one connection carries many subscriptions, to the tags of a path list or of the
 * answer of a SQL query (sampled, deadbanded, coalesced), and to the alarm feed (resumable). The
 * {@link nexus.stream.StreamService} speaks the JSON protocol of docs/streams.md; a transport (the
 * WebSocket and Server-Sent Events routes of nexus.api.http) carries its messages and implements
 * {@link nexus.stream.StreamClient}. The console lists the open streams through the same service.
 */
@Export
@Version("1.0.0")
package nexus.stream;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
