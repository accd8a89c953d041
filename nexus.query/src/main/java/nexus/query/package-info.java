/**
 * Contract of SELECT-only namespace resolution: SQL over the registry in, structured rows with live values from RMA out.
 *
 * <p>Version 0.x: this contract is still taking shape with its issue and may change without a
 * major version step until it reaches 1.0.
 */
@Export
@Version("0.1.0")
package nexus.query;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
