/**
 * Contract of RMA, the deterministic raw memory where live values live: banks, the type system, allocations and consistent block reads (see docs/rma-format.md once it exists).
 *
 * <p>Version 0.x: this contract is still taking shape with its issue and may change without a
 * major version step until it reaches 1.0.
 */
@Export
@Version("0.1.0")
package nexus.rma;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
