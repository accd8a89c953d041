package nexus.security.internal;

import java.nio.file.Path;
import java.util.Optional;

import nexus.registry.Registry;
import nexus.registry.RegistryStatus;
import nexus.registry.TagRegistry;
import nexus.registry.ValidationReport;

/** A registry service serving one version, for the write roles audit's start. */
final class ServedRegistry implements TagRegistry {

    private final Registry served;

    ServedRegistry(Registry served) {
        this.served = served;
    }

    @Override
    public Registry current() {
        return served;
    }

    @Override
    public RegistryStatus status() {
        throw new UnsupportedOperationException("not asked by the write roles audit");
    }

    @Override
    public Optional<String> writesRefused() {
        throw new UnsupportedOperationException("not asked by the write roles audit");
    }

    @Override
    public String confirmFallback(String user) {
        throw new UnsupportedOperationException("not asked by the write roles audit");
    }

    @Override
    public ValidationReport validate(Path registryFile) {
        throw new UnsupportedOperationException("not asked by the write roles audit");
    }

    @Override
    public ValidationReport importList(Path list, Path target) {
        throw new UnsupportedOperationException("not asked by the write roles audit");
    }

    @Override
    public void exportList(Path registryFile, Path list) {
        throw new UnsupportedOperationException("not asked by the write roles audit");
    }

    @Override
    public ValidationReport contribute(nexus.registry.Contribution contribution) {
        throw new UnsupportedOperationException("not asked by the write roles audit");
    }

    @Override
    public void withdraw(String owner) {
        throw new UnsupportedOperationException("not asked by the write roles audit");
    }
}
