/**
 * Contract of the SQLite metadata registry: the tag namespace, allocations, units and alarm definitions. It holds metadata only, never a live value.
 *
 * <p>Version 0.x: this contract is still taking shape with its issue and may change without a
 * major version step until it reaches 1.0.
 */
@Export
@Version("0.1.0")
package nexus.registry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
