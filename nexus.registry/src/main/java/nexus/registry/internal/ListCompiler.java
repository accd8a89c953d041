package nexus.registry.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import nexus.core.AlarmCondition;
import nexus.core.TagPath;
import nexus.registry.AlarmDefinition;
import nexus.registry.Problem;
import nexus.registry.Problem.Kind;
import nexus.core.Severity;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.RmaType;

/**
 * Turns a tag list into registry content: resolves banks and types, allocates the addresses that
 * are absent ({@link Allocator}), and checks everything a registry must satisfy, reporting every
 * problem with the list's file, line and column. Tag ids are 1..n and alarm ids 1..m in list order.
 */
final class ListCompiler {

    /** The bank alarm flags go to when an alarm names none. */
    static final String DEFAULT_FLAG_BANK = "alarms";

    private final TagList list;
    private final List<Problem> problems;

    private ListCompiler(TagList list, List<Problem> problems) {
        this.list = list;
        this.problems = problems;
    }

    /** @return the content, or null when there were problems (all of them added to {@code problems}) */
    static RegistryContent compile(TagList list, List<Problem> problems) {
        return new ListCompiler(list, problems).compile();
    }

    private RegistryContent compile() {
        List<Bank> banks = banks();
        Map<String, Integer> bankIds = new HashMap<>();
        banks.forEach(b -> bankIds.put(b.name(), b.id()));

        Map<String, TagList.TagSpec> paths = new HashMap<>();
        for (TagList.TagSpec tag : list.tags) {
            if (tag.path == null || tag.path.isBlank()) {
                problems.add(problem(Kind.MALFORMED, "a tag has no path", tag.place));
                continue;
            }
            String wrongPath = TagPath.problem(tag.path);
            if (wrongPath != null) {
                problems.add(problem(Kind.MALFORMED, "tag " + PathChecks.printable(tag.path) + " has a path that is no"
                        + " tag path: " + wrongPath, tag.place));
            }
            TagList.TagSpec first = paths.putIfAbsent(tag.path, tag);
            if (first != null) {
                problems.add(new Problem(Kind.DUPLICATE_PATH, "path '" + tag.path + "' is used twice",
                        List.of(first.place.toString(), tag.place.toString())));
            }
            if (tag.type == null) {
                problems.add(problem(Kind.UNKNOWN_TYPE, "unknown type '" + tag.typeText + "' for " + tag.path
                        + ": use BOOL, INT8..INT64, UINT8..UINT32, FLOAT32, FLOAT64 or STRING(n)", tag.place));
            }
            if (!tag.writeRoles.isEmpty() && !tag.writable) {
                problems.add(problem(Kind.MALFORMED, "tag " + tag.path + " names write roles (" + String.join(" ",
                        tag.writeRoles) + ") but is not writable: make it writable, or remove its write roles", tag.place));
            }
            if (tag.bank == null || !bankIds.containsKey(tag.bank)) {
                problems.add(problem(Kind.UNKNOWN_BANK, "unknown bank '" + tag.bank + "' for " + tag.path
                        + " (banks: " + String.join(", ", bankIds.keySet()) + ")", tag.place));
            }
        }
        List<TagList.AlarmSpec> alarmSpecs = list.alarms;
        Map<String, Integer> alarmNames = new HashMap<>();
        for (TagList.AlarmSpec alarm : alarmSpecs) {
            if (alarm.name == null || alarm.name.isBlank()) {
                problems.add(problem(Kind.MALFORMED, "an alarm has no name", alarm.place));
            } else if (alarmNames.putIfAbsent(alarm.name, 1) != null) {
                problems.add(problem(Kind.INCONSISTENT_ALARM, "alarm name '" + alarm.name + "' is used twice", alarm.place));
            }
            String flagBank = alarm.flagBank == null ? DEFAULT_FLAG_BANK : alarm.flagBank;
            if (!bankIds.containsKey(flagBank)) {
                problems.add(problem(Kind.UNKNOWN_BANK, "alarm " + alarm.name + " puts its flags in bank '" + flagBank
                        + "', which is not declared", alarm.place));
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }

        Allocator allocator = new Allocator(banks);
        // Explicit addresses are reserved first so that allocated ones go around them.
        for (TagList.TagSpec tag : list.tags) {
            if (tag.byteOffset != null) {
                allocator.reserve(bankIds.get(tag.bank), tag.byteOffset, tag.bitOffset, tag.type, tag.length);
            }
        }
        for (TagList.AlarmSpec alarm : alarmSpecs) {
            if (alarm.flagByte != null) {
                allocator.reserve(bankIds.get(flagBank(alarm)), alarm.flagByte, 0, RmaType.UINT8, 1);
            }
        }
        AllocationTable tagTable = new AllocationTable(list.tags.size(),
                row -> list.tags.get(row).path + " at " + list.tags.get(row).place);
        for (TagList.TagSpec tag : list.tags) {
            int bank = bankIds.get(tag.bank);
            int offset = tag.byteOffset != null ? tag.byteOffset : -1;
            int bit = tag.bitOffset;
            if (tag.byteOffset == null) {
                if (tag.type == RmaType.BOOL) {
                    long place = allocator.bit(bank);
                    offset = place < 0 ? -1 : (int) (place >>> 3);
                    bit = place < 0 ? 0 : (int) (place & 7);
                } else {
                    offset = allocator.bytes(bank, tag.type.alignment(), Math.max(1, tag.length));
                }
                if (offset < 0) {
                    problems.add(problem(Kind.OUT_OF_BOUNDS, "bank '" + tag.bank + "' is full: no room for " + tag.path
                            + " (" + tag.length + " bytes); make the bank larger", tag.place));
                    return null;
                }
            }
            tagTable.add(bank, offset, bit, tag.type, tag.length);
        }
        AllocationTable flagTable = new AllocationTable(alarmSpecs.size(),
                row -> "flags of alarm " + alarmSpecs.get(row).name + " at " + alarmSpecs.get(row).place);
        for (TagList.AlarmSpec spec : alarmSpecs) {
            int bank = bankIds.get(flagBank(spec));
            int flagByte = spec.flagByte != null ? spec.flagByte : allocator.bytes(bank, 1, 1);
            if (flagByte < 0) {
                problems.add(problem(Kind.OUT_OF_BOUNDS, "bank '" + flagBank(spec) + "' is full: no room for the flags"
                        + " of alarm " + spec.name + "; make the bank larger", spec.place));
                return null;
            }
            flagTable.add(bank, flagByte, 0, RmaType.UINT8, 1);
        }
        Validator validator = new Validator(banks, problems);
        validator.check(tagTable);
        validator.check(flagTable);
        if (validator.suppressed() > 0) {
            problems.add(new Problem(Kind.MALFORMED, validator.suppressed() + " more problems are not listed",
                    List.of(list.source)));
        }
        if (!problems.isEmpty()) {
            return null;
        }

        List<Tag> tags = new ArrayList<>(list.tags.size());
        Map<String, Tag> byPath = new HashMap<>();
        for (int i = 0; i < list.tags.size(); i++) {
            TagList.TagSpec spec = list.tags.get(i);
            Allocation allocation = new Allocation(tagTable.banks[i], tagTable.offsets[i], tagTable.bits[i], spec.type,
                    tagTable.lengths[i]);
            Tag tag = new Tag(i + 1, spec.path, allocation, spec.unit, spec.description, spec.writable,
                    spec.engLow, spec.engHigh, spec.properties, spec.writeRoles);
            tags.add(tag);
            byPath.put(tag.path(), tag);
        }
        List<AlarmDefinition> alarms = new ArrayList<>();
        for (int i = 0; i < alarmSpecs.size(); i++) {
            TagList.AlarmSpec spec = alarmSpecs.get(i);
            Allocation flags = Allocation.of(flagTable.banks[i], flagTable.offsets[i], RmaType.UINT8);
            AlarmDefinition alarm = alarm(i + 1, spec, byPath.get(spec.tag), flags);
            if (alarm != null) {
                alarms.add(alarm);
            }
        }
        return problems.isEmpty() ? new RegistryContent(banks, tags, alarms) : null;
    }

    private List<Bank> banks() {
        List<Bank> banks = new ArrayList<>();
        Map<String, TagList.BankSpec> seen = new HashMap<>();
        for (TagList.BankSpec spec : list.banks) {
            if (seen.putIfAbsent(spec.name == null ? "" : spec.name, spec) != null) {
                problems.add(problem(Kind.MALFORMED, "bank '" + spec.name + "' is declared twice", spec.place));
                continue;
            }
            try {
                banks.add(new Bank(banks.size(), spec.name == null ? "" : spec.name, spec.size));
            } catch (nexus.core.NexusException e) {
                problems.add(problem(Kind.MALFORMED, e.getMessage(), spec.place));
            }
        }
        if (list.banks.isEmpty()) {
            problems.add(new Problem(Kind.MALFORMED, "the list declares no bank: add '# bank NAME SIZE' lines (CSV)"
                    + " or a \"banks\" array (JSON)", List.of(list.source)));
        }
        return banks;
    }

    private AlarmDefinition alarm(long id, TagList.AlarmSpec spec, Tag tag, Allocation flags) {
        if (spec.contributed && (spec.tag == null || spec.tag.isBlank())) {
            problems.add(problem(Kind.DANGLING_ALARM, "alarm " + spec.name + " watches a contributed tag but names"
                    + " none: give its path in \"tag\"", spec.place));
            return null;
        }
        String wrongPath = spec.contributed ? TagPath.problem(spec.tag) : null;
        if (wrongPath != null) {
            problems.add(problem(Kind.MALFORMED, "alarm " + spec.name + " watches a contributed tag whose path no tag"
                    + " can have: " + wrongPath, spec.place));
            return null;
        }
        if (spec.contributed && tag != null) {
            problems.add(problem(Kind.INCONSISTENT_ALARM, "alarm " + spec.name + " says its tag '" + spec.tag
                    + "' is contributed, but this list defines it: remove \"contributed\"", spec.place));
            return null;
        }
        if (!spec.contributed && tag == null) {
            problems.add(problem(Kind.DANGLING_ALARM, "alarm " + spec.name + " watches tag '" + spec.tag
                    + "', which does not exist: define it in this list, or, when another node's mirror contributes it"
                    + " (federation), add \"contributed\": true to the alarm", spec.place));
            return null;
        }
        AlarmCondition condition;
        Severity severity;
        try {
            condition = AlarmCondition.valueOf(String.valueOf(spec.condition).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(problem(Kind.INCONSISTENT_ALARM, "alarm " + spec.name + " has condition '" + spec.condition
                    + "': use HI, HIHI, LO, LOLO, EQ, NE, TRUE or FALSE", spec.place));
            return null;
        }
        try {
            severity = Severity.valueOf(spec.severity.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(problem(Kind.INCONSISTENT_ALARM, "alarm " + spec.name + " has severity '" + spec.severity
                    + "': use LOW, MEDIUM, HIGH or CRITICAL", spec.place));
            return null;
        }
        AlarmDefinition alarm = new AlarmDefinition(id, spec.name, tag == null ? AlarmDefinition.NO_TAG : tag.id(),
                condition, spec.limit, spec.deadband, severity, spec.requiresAck, spec.latching, spec.onDelayMillis,
                spec.offDelayMillis, spec.maxShelveSeconds, spec.message, flags, spec.tag, spec.contributed, null);
        // A contributed tag's type is known only in the versions that have it: the rest is checked here.
        String why = AlarmChecks.inconsistency(alarm, tag == null ? null : tag.allocation().type());
        if (why != null) {
            problems.add(problem(Kind.INCONSISTENT_ALARM, why, spec.place));
            return null;
        }
        return alarm;
    }

    private static String flagBank(TagList.AlarmSpec alarm) {
        return alarm.flagBank == null ? DEFAULT_FLAG_BANK : alarm.flagBank;
    }

    private static Problem problem(Kind kind, String message, TagList.Place place) {
        return new Problem(kind, message, List.of(place.toString()));
    }
}
