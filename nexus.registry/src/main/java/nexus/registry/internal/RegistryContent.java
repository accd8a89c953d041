package nexus.registry.internal;

import java.util.List;

import nexus.registry.AlarmDefinition;
import nexus.registry.Tag;
import nexus.rma.Bank;

/** Everything in a registry file, as read for an export. */
record RegistryContent(List<Bank> banks, List<Tag> tags, List<AlarmDefinition> alarms) {
}
