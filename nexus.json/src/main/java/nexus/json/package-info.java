/**
 * The JSON shapes of tags, values, alarms and alarm events, written once for every JSON front-end:
 * the HTTP API, the streams, the lines shipped to Loki. A field means the same and is spelled the
 * same wherever a client meets it.
 *
 * <p>1.1: {@link nexus.json.FindJson}, the JSON form of a find filter, read strictly, and its schema.
 * <p>1.2: {@link nexus.json.Problem}, RFC 9457 problem documents for every HTTP front-end.
 */
@Export
@Version("1.2.0")
package nexus.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
