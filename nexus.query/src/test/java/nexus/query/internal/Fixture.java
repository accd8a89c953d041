package nexus.query.internal;

import java.nio.file.Path;
import java.util.concurrent.Executors;

import nexus.registry.internal.RegistryFiles;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/** A real registry file (the demo plant) and a real heap backend with its banks. */
final class Fixture implements AutoCloseable {

    final Path file;
    final RegistryFiles.Opened registry;
    final RmaBackend rma;
    final QueryEngine engine;

    Fixture(Path dir, int tags, Limits limits) {
        this(dir, tags, limits, 2, Admission.defaults(limits.timeoutMillis()));
    }

    /** With this many registry connections and this admission control. */
    Fixture(Path dir, int tags, Limits limits, int connections, Admission admission) {
        file = dir.resolve("registry.db");
        if (!RegistryFiles.demo(file, tags).valid()) {
            throw new IllegalStateException("demo plant invalid");
        }
        registry = RegistryFiles.open(file, connections);
        rma = RmaBackends.heap(registry.banks());
        engine = new QueryEngine(limits, admission, Executors.newCachedThreadPool(QueryComponent.daemon("test-parse")),
                Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("test-timeout")));
    }

    @Override
    public void close() {
        registry.close();
    }
}
