package nexus.query;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import nexus.core.Caller;

/**
 * What {@link FindService} needs of the alarm manager: the alarms of some tags, with their state now.
 * The alarm manager (bundle {@code nexus.alarm}) registers it; this package cannot name the alarm
 * contract, which builds on it. Thread-safe.
 *
 * @since 2.4
 */
@ConsumerType
public interface FindAlarms {

    /**
     * @param caller who asks: only alarms whose tag the caller sees are answered
     * @param paths  tag paths
     * @return for each path that has alarms, its alarms in name order; paths without alarms may be absent
     */
    Map<String, List<FindResult.TagAlarm>> alarmsOf(Caller caller, Collection<String> paths);
}
