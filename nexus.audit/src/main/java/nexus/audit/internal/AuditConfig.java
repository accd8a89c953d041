package nexus.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code nexus.audit}, for example {@code etc/nexus.audit.cfg}. */
@ObjectClassDefinition(name = "RMA Nexus audit trail", description = "The local journal of every tag write and"
        + " alarm action, synced to disk before the act is answered, then copied to the audit sinks.")
@interface AuditConfig {

    @AttributeDefinition(name = "dir", description = "The journal's folder; relative paths are resolved against"
            + " the home folder. A new folder is read and used from the next record on; sequences go on from the"
            + " highest seen.")
    String dir() default "data/audit";

    @AttributeDefinition(name = "file.max.bytes", description = "A journal file that reaches this size is closed"
            + " and the next record starts a new one, bytes (at least 4096)")
    long file_max_bytes() default 16L * 1024 * 1024;

    @AttributeDefinition(name = "files.keep", description = "How many journal files are kept, the one being"
            + " written included; the oldest beyond are deleted (1 to 100000)")
    int files_keep() default 10;
}
