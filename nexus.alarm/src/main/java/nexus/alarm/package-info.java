/**
 * Contract of the alarm manager: alarm definitions, the ISA-18.2 lifecycle and the events it publishes to sinks.
 *
 * <p>Version 0.x: this contract is still taking shape with its issue and may change without a
 * major version step until it reaches 1.0.
 */
@Export
@Version("0.1.0")
package nexus.alarm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
