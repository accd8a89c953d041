package nexus.query.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;

import nexus.core.AccessPolicy;
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.TagValue;
import nexus.registry.Registry;
import nexus.registry.internal.RegistryFiles;
import nexus.registry.RegistryStatus;
import nexus.registry.Tag;
import nexus.registry.TagRegistry;
import nexus.registry.ValidationReport;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/**
 * A small plant for the tag service: a real registry file built from a tag list, a heap backend
 * (counted), an in-memory audit trail, and the tag service over a real query engine. Every source
 * can be swapped or taken away, as OSGi services come and go.
 */
final class TagPlant implements TagSources, AutoCloseable {

    /** A caller who may read everything (no access policy is registered unless a test sets one). */
    static final nexus.core.Caller READER = nexus.core.Caller.of("reader", "test");

    static final String LIST = """
            # bank process 1024
            # bank utility 256
            path,type,bank,byte_offset,bit_offset,unit,description,writable,eng_low,eng_high,prop.area
            plant/tank/level,FLOAT32,process,,,%,Tank level,1,0,100,north
            plant/tank/temperature,FLOAT32,process,,,degC,Tank temperature,0,-20,150,north
            plant/pump/speed,INT16,process,,,rpm,Pump speed set-point,1,0,3000,north
            plant/pump/running,BOOL,process,,,,Pump running,0,,,north
            plant/pump/start,BOOL,process,,,,Pump start command,1,,,north
            plant/batch,STRING(8),process,,,,Batch id,1,,,
            utility/flow,FLOAT64,utility,,,m3/h,Cooling water flow,1,,,south
            """;

    final Path dir;
    final RegistryFiles.Opened opened;
    final CountingBackend rma;
    final MemoryAuditTrail trail = new MemoryAuditTrail();
    final QueryEngine engine;
    final Tags tags;
    volatile Registry current;
    volatile RmaBackend backend;
    volatile AuditTrail audit = trail;
    volatile AccessPolicy policy;
    volatile Optional<String> writesRefused = Optional.empty();
    volatile boolean registryRunning = true;

    TagPlant(Path dir) {
        this(dir, LIST, Admission.defaults(Limits.DEFAULT.timeoutMillis()));
    }

    TagPlant(Path dir, String list, Admission admission) {
        this.dir = dir;
        this.opened = open(dir, "registry", list);
        this.current = opened;
        this.rma = new CountingBackend(RmaBackends.heap(opened.banks()));
        this.backend = rma;
        this.engine = new QueryEngine(Limits.DEFAULT, admission, Executors.newCachedThreadPool(QueryComponent.daemon("test-parse")),
                Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("test-timeout")));
        this.tags = new Tags(engine, this);
    }

    /** @return a registry file built from a tag list, opened */
    static RegistryFiles.Opened open(Path dir, String name, String list) {
        try {
            Files.createDirectories(dir);
            Path csv = dir.resolve(name + ".csv");
            Files.writeString(csv, list);
            Path db = dir.resolve(name + ".db");
            ValidationReport report = RegistryFiles.importList(csv, db);
            if (!report.valid()) {
                throw new IllegalStateException(report.describe());
            }
            return RegistryFiles.open(db, 2);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Tag tag(String path) {
        return current.tag(path).orElseThrow();
    }

    /** Writes straight into RMA, as a PLC would. */
    void plc(String path, Object value) {
        rma.memory.write(tag(path).allocation(), value);
    }

    /** Gives every tag of the plant a value of its type, as the snapshot tests start from. */
    void plcValues() {
        plc("plant/tank/level", 12.5);
        plc("plant/tank/temperature", -3.5);
        plc("plant/pump/speed", 1500L);
        plc("plant/pump/start", true);
        plc("plant/batch", "B-17");
        plc("utility/flow", 4.25);
    }

    /** @return the value in RMA now, read past the tag service */
    Object value(String path) {
        TagValue value = engine.read(rma.memory, java.util.List.of(tag(path).allocation())).get(0);
        return value.value();
    }

    @Override
    public TagRegistry registry() {
        if (!registryRunning) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the registry service is not running: see GET /health");
        }
        return new TagRegistry() {
            @Override
            public Registry current() {
                return current;
            }

            @Override
            public RegistryStatus status() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<String> writesRefused() {
                return writesRefused;
            }

            @Override
            public String confirmFallback(String user) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ValidationReport validate(Path registryFile) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ValidationReport importList(Path list, Path target) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void exportList(Path registryFile, Path list) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ValidationReport contribute(nexus.registry.Contribution contribution) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void withdraw(String owner) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Override
    public RmaBackend backend() {
        return backend;
    }

    @Override
    public AuditTrail audit() {
        return audit;
    }

    @Override
    public AccessPolicy policy() {
        return policy;
    }

    @Override
    public void close() {
        engine.close();
        opened.close();
    }
}
