package nexus.alarm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code nexus.alarm}, for example {@code etc/nexus.alarm.cfg}. */
@ObjectClassDefinition(name = "RMA Nexus alarm manager", description = "The ISA-18.2 alarm lifecycle of the"
        + " registry's alarm definitions, with flags in RMA.")
@interface AlarmConfig {

    @AttributeDefinition(name = "scan.interval", description = "How often every enabled alarm is evaluated, ms")
    long scan_interval() default 100;

    @AttributeDefinition(name = "snapshot.file", description = "Where lifecycle timestamps are kept across"
            + " restarts, with the journal (alarms.journal.<n>) beside it; relative paths are resolved against the"
            + " home folder. Empty: no snapshot and no journal. Read when the bundle starts.")
    String snapshot_file() default "";

    @AttributeDefinition(name = "snapshot.interval", description = "How often the snapshot is written when"
            + " something changed, seconds (and always at stop)")
    long snapshot_interval() default 10;

    @AttributeDefinition(name = "chatter.count", description = "Activations within chatter.window that make an"
            + " alarm chattering")
    int chatter_count() default 3;

    @AttributeDefinition(name = "chatter.window", description = "The chattering window, seconds")
    long chatter_window() default 60;

    @AttributeDefinition(name = "flood.threshold", description = "More activations than this in 10 minutes is"
            + " an alarm flood")
    int flood_threshold() default 10;

    @AttributeDefinition(name = "merge.gap", description = "Value reads: the largest gap merged over, bytes")
    int merge_gap() default 256;

    @AttributeDefinition(name = "merge.block", description = "Value reads: the longest block, bytes")
    int merge_block() default 4096;
}
