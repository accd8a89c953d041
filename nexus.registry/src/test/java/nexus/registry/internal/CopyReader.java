package nexus.registry.internal;

import java.sql.Connection;
import java.sql.SQLException;

import nexus.registry.Registry;
import nexus.registry.RegistryCopy;

/** What the query engine does with a version's copy: leases it and opens a read-only connection of its own. */
final class CopyReader implements AutoCloseable {

    final RegistryCopy lease;
    final Connection db;

    CopyReader(Registry registry) throws SQLException {
        lease = registry.leaseCopy();
        try {
            db = Sqlite.readOnly(lease.file());
        } catch (SQLException e) {
            lease.close();
            throw e;
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            db.close();
        } finally {
            lease.close();
        }
    }
}
