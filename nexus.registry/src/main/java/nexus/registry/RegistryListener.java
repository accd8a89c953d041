package nexus.registry;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: register one as a service to hear when a new registry version is served. Called on
 * the registry's own thread; must return quickly and not throw.
 */
@ConsumerType
public interface RegistryListener {

    /** @param registry the registry now served */
    void registryChanged(Registry registry);
}
