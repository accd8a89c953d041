package nexus.registry.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.AlarmDefinition;
import nexus.registry.AllocationIndex;
import nexus.registry.Contribution.ContributedBank;
import nexus.registry.RegistryCopy;
import nexus.registry.RemoteWriter;
import nexus.registry.Tag;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * A validated registry file, its lookup connections and the leases on its copy: immutable until
 * retired. Once retired, lookups and new leases are refused; when the last lookup connection and the
 * last lease are closed, {@link #whenClosed} runs (the service then deletes the copy).
 */
final class LoadedRegistry implements RegistryFiles.Opened {

    private final long version;
    private final String file;
    private final Path copy;
    private final List<Bank> banks;
    private final AllocationIndex index;
    private final List<AlarmDefinition> alarms;
    private final TagLookups lookups;
    /** Tags found by path (only found ones: at most the registry's tags): this version never changes, so answers stay true. */
    private final ConcurrentHashMap<String, Optional<Tag>> byPath = new ConcurrentHashMap<>();
    private static final int PATH_CACHE = 100_000;

    /** The contributed banks: ids from {@code firstContributed}; told once, before the version is served. */
    private volatile List<ContributedBank> contributed = List.of();
    private volatile int firstContributed = Integer.MAX_VALUE;
    /** The memory last answered, for the local backend it was asked for: the same view for the same backend. */
    private volatile LayeredMemory layered;

    private final Object lock = new Object();
    /** The lookup pool, while open, and every open lease; guarded by {@link #lock}. */
    private int holders = 1;
    private boolean retired;
    private Runnable onClosed = () -> { };

    /**
     * @param copy the file the lookups read and leases hand out: the version's private copy (or the
     *             user's file itself when opened through {@link RegistryFiles})
     * @param schema the file's schema version ({@link Schema})
     */
    LoadedRegistry(long version, String file, Path copy, int schema, List<Bank> banks, AllocationIndex index,
            List<AlarmDefinition> alarms, ConnectionPool lookups) {
        this.version = version;
        this.file = file;
        this.copy = copy;
        this.banks = List.copyOf(banks);
        this.index = index;
        this.alarms = List.copyOf(alarms);
        this.lookups = new TagLookups(version, schema, index, lookups);
        lookups.whenClosed(this::release);
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public List<Bank> banks() {
        return banks;
    }

    @Override
    public AllocationIndex index() {
        return index;
    }

    @Override
    public List<AlarmDefinition> alarms() {
        return alarms;
    }

    @Override
    public Optional<Tag> tag(String path) {
        Optional<Tag> cached = byPath.get(path);
        if (cached != null) {
            return cached;
        }
        Optional<Tag> found = lookups.byPath(path);
        if (found.isEmpty()) {
            return found; // not cached: clients choose unknown paths freely, and they would fill the heap
        }
        if (byPath.size() >= PATH_CACHE) {
            byPath.clear();
        }
        byPath.put(path, found);
        return found;
    }

    /** @return how many tag paths are cached (for tests) */
    int cachedPaths() {
        return byPath.size();
    }

    @Override
    public Optional<Tag> tag(long id) {
        return lookups.byId(id);
    }

    @Override
    public List<Tag> tags(long[] ids) {
        return lookups.byIds(ids);
    }

    @Override
    public List<Tag> tags(String prefix, String afterPath, int limit) {
        return lookups.page(prefix, afterPath, limit);
    }

    @Override
    public List<Tag> withProperty(String key) {
        return lookups.withProperty(key);
    }

    @Override
    public void withProperty(String key, Consumer<Tag> each) {
        lookups.withProperty(key, each);
    }

    /**
     * Tells this version which of its banks are contributed; called once, before it is served.
     *
     * @param first the id of the first contributed bank (they follow the file's)
     * @param banks the contributed banks, by id from {@code first}
     */
    void contributed(int first, List<ContributedBank> banks) {
        this.firstContributed = banks.isEmpty() ? Integer.MAX_VALUE : first;
        this.contributed = List.copyOf(banks);
    }

    @Override
    public RmaBackend memory(RmaBackend local) {
        List<ContributedBank> banks = contributed;
        if (local == null || banks.isEmpty()) {
            return local;
        }
        LayeredMemory last = layered;
        if (last != null && last.local() == local) {
            return last;
        }
        LayeredMemory made = new LayeredMemory(local, this.banks, firstContributed, banks);
        layered = made;
        return made;
    }

    @Override
    public Optional<String> bankSource(int bank) {
        List<ContributedBank> banks = contributed;
        int index = bank - firstContributed;
        return index >= 0 && index < banks.size() ? Optional.of(banks.get(index).source()) : Optional.empty();
    }

    @Override
    public Optional<RemoteWriter> remoteWriter(int bank) {
        List<ContributedBank> banks = contributed;
        int index = bank - firstContributed;
        return index >= 0 && index < banks.size() ? Optional.ofNullable(banks.get(index).writer()) : Optional.empty();
    }

    /** @return every tag with its properties, for an export */
    RegistryContent content() {
        return lookups.content(banks, alarms);
    }

    @Override
    public RegistryCopy leaseCopy() {
        synchronized (lock) {
            if (retired) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "this registry version has been replaced: ask again");
            }
            holders++;
        }
        return new Lease();
    }

    /** @param action runs once, after {@link #retire}, when the last lookup connection and lease have been closed */
    void whenClosed(Runnable action) {
        synchronized (lock) {
            onClosed = action;
        }
    }

    /** Stops lending connections and copies; closes the lookup connections as they come back. */
    void retire() {
        synchronized (lock) {
            retired = true;
        }
        lookups.pool().retire();
    }

    @Override
    public void close() {
        retire();
    }

    private void release() {
        Runnable action;
        synchronized (lock) {
            if (--holders > 0) {
                return;
            }
            action = onClosed;
        }
        action.run();
    }

    /** One lease on the copy: counted until closed. */
    private final class Lease implements RegistryCopy {
        private boolean closed;

        @Override
        public long version() {
            return version;
        }

        @Override
        public Path file() {
            return copy;
        }

        @Override
        public boolean retired() {
            synchronized (lock) {
                return retired;
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release();
        }
    }
}
