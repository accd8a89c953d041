package nexus.registry.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code nexus.registry}, for example {@code etc/nexus.registry.cfg}. */
@ObjectClassDefinition(name = "RMA Nexus registry", description = "The SQLite metadata registry served to"
        + " queries, alarms and the API.")
@interface RegistryConfig {

    @AttributeDefinition(description = "The registry file; relative paths are resolved against the RMA Nexus"
            + " home folder. RMA Nexus only reads it.")
    String file() default "data/registry.db";

    @AttributeDefinition(description = "The folder of the private copies registry versions are served from, and of"
            + " the last good copy kept for a start with a damaged file; relative paths are resolved against the"
            + " RMA Nexus home folder. RMA Nexus owns it: files there are owner-only.")
    String copies() default "data/registry-copies";

    @AttributeDefinition(description = "Frozen: changes to the file are reported, never loaded. Not frozen: a"
            + " replaced file is validated and swapped in; an invalid one is reported and the old one kept.")
    boolean frozen() default false;

    @AttributeDefinition(name = "poll.interval", description = "How often the file is checked for a replacement, ms")
    long poll_interval() default 1000;

    @AttributeDefinition(description = "Read-only SQL connections kept open per registry version for tag lookups (by"
            + " path, id, prefix, property); users' SQL runs on the query engine's own connections (nexus.query slots)")
    int connections() default 4;

    @AttributeDefinition(name = "connection.wait", description = "How long a tag lookup waits for a free connection, ms")
    long connection_wait() default 2000;

    @AttributeDefinition(name = "demo.tags", description = "When the file does not exist, generate the demo plant"
            + " with about this many tags into it (0: do not)")
    int demo_tags() default 0;
}
