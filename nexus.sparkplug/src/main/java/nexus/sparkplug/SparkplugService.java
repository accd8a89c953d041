package nexus.sparkplug;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's part in a Sparkplug B system, as configured in {@code etc/nexus.sparkplug.cfg}:
 * registered while that file configures it. Thread-safe.
 */
@ProviderType
public interface SparkplugService {

    /** @return what the federation is doing now: the broker connection, the edge node's births and sequences, the counters */
    SparkplugStatus status();

    /**
     * Publishes a new birth certificate of the edge node now (what a host's {@code Node Control/Rebirth}
     * asks for), with a new {@code seq} from 0.
     *
     * @return what was done, in a sentence
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE when the node is not connected to the
     *                                   broker or is not an edge node (the message says which)
     */
    String rebirth();
}
