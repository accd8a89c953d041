/**
 * RMA: the deterministic raw memory where live values live.
 *
 * <p>A {@link nexus.rma.Bank} is a named, fixed-size byte region. Values sit at
 * {@link nexus.rma.Allocation}s inside a bank and are encoded little-endian by
 * {@link nexus.rma.ValueCodec}, with the types of {@link nexus.rma.RmaType}; multi-byte numbers are
 * naturally aligned. An {@link nexus.rma.RmaBackend} holds the banks: readers copy ranges into
 * caller-owned {@link nexus.rma.BlockRead} buffers, each copy a consistent snapshot (never torn by a
 * concurrent writer) tagged with the bank's write sequence and last-write time.
 *
 * <p>The byte format of the shared-memory backend, and the protocol other processes follow to
 * write into it, are specified in {@code docs/rma-format.md}.
 *
 * <p>2.0: {@code RmaBackends}, the plain-Java factory of the built-in backends, left the contract
 * for {@code nexus.rma.internal} (a contract may not refer to internal code); OSGi code gets its
 * backend as the {@link nexus.rma.RmaBackend} service.
 *
 * <p>2.1: {@link nexus.rma.ReadStatus#STALE}, a snapshot of values that are no longer current (a
 * federation mirror), and {@link nexus.rma.BlockRead#hasData()}.
 */
@Export
@Version("2.1.0")
package nexus.rma;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
