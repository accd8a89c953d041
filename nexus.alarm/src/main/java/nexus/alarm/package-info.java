/**
 * The alarm manager's contract: the ISA-18.2 lifecycle of the registry's alarm definitions, the
 * operator actions on it, and the events it publishes.
 *
 * <p>An alarm's state is seven orthogonal flags kept in one byte of RMA ({@link nexus.alarm.AlarmFlags};
 * the layout is in {@code docs/rma-format.md}), so that any RMA reader sees them; the ISA-18.2 state
 * ({@link nexus.alarm.AlarmState}) is derived from them. Lifecycle timestamps live in memory.
 * {@link nexus.alarm.AlarmService} lists alarms and carries out operator actions; every transition and
 * every action becomes one {@link nexus.alarm.AlarmEvent}, delivered to every registered
 * {@link nexus.alarm.EventSink}.
 *
 * <p>3.1: each alarm says its tag's quality ({@link nexus.alarm.Alarm#quality}): an alarm on a
 * contributed tag that a registry version lacks is BAD, and that version is served all the same.
 *
 * <p>3.2: {@link nexus.alarm.AlarmEventType#QUALITY_CHANGED}: an alarm that stops or resumes being
 * evaluated (its tag's quality changes) is told to every sink as an event.
 */
@Export
@Version("3.2.0")
package nexus.alarm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
