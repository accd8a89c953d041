package nexus.rma.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration PID {@code nexus.rma}, for example {@code etc/nexus.rma.cfg}. */
@ObjectClassDefinition(name = "RMA Nexus memory (RMA)",
        description = "Which backend holds RMA and its bank layout. A change replaces the backend:"
                + " consumers see BACKEND_UNAVAILABLE for the moment of the swap.")
@interface RmaConfig {

    @AttributeDefinition(description = "heap: in-process memory (contents are lost when RMA Nexus stops);"
            + " mmap: a shared-memory file other processes can map (contents survive restarts)",
            options = { @Option(label = "heap", value = "heap"), @Option(label = "mmap", value = "mmap") },
            defaultValue = "heap")
    // No Java default: a default here becomes a component property, and RmaComponent could no longer
    // tell a configuration without a backend (refused while the mmap file exists) from one with it.
    String backend();

    @AttributeDefinition(name = "mmap.file", description = "The shared-memory file of the mmap backend;"
            + " relative paths are resolved against the RMA Nexus home folder. Created when missing.")
    String mmap_file() default "data/rma.mmap";

    @AttributeDefinition(description = "The banks in id order, as name:size pairs; sizes in bytes, or with"
            + " k or m (KiB, MiB). Example: process:64k, alarms:8k")
    String banks() default "process:64k, alarms:8k";
}
