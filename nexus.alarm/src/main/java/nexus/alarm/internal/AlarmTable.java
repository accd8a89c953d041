package nexus.alarm.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmSpec;
import nexus.core.Access;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Registry;
import nexus.rma.BlockPlan;
import nexus.rma.BlockRead;

/**
 * The alarms of one registry version and how to read them: the records, their lookups by name, in
 * name order and in flag order, the reads of the scan's one plan, which alarms have not been
 * taken over from RMA yet, and which the scan may skip ({@link QuietAlarms}). Built by {@link Replanner}; not thread-safe (the engine's lock guards it).
 */
final class AlarmTable {

    /** The registry these alarms come from: another object is another registry, whatever its version says. */
    final Registry registry;
    final long version;
    final AlarmRecord[] records;
    /** Each record's definition as clients see it, built once per definition of the version. */
    private final AlarmSpec[] specs;
    /** The scan's one plan, and its reads: every watched tag (once) and every flag byte. */
    final BlockPlan plan;
    final BlockRead[] reads;
    /** Record indexes in flag order (bank, offset), and each record's rank in it. */
    final int[] flagOrder;
    final int[] flagRank;
    /** By rank in flag order: the flag byte's bank and offset. */
    final int[] flagBank;
    final int[] flagByte;
    /** Records whose flags have not been taken from RMA yet. */
    final boolean[] unadopted;
    /** Which alarms the scan may skip: none at first. */
    final QuietAlarms quiet;
    private final Map<String, Integer> byName;
    /** Record indexes in name order, for listing. */
    private final int[] nameOrder;
    private int unadoptedCount;

    AlarmTable(Registry registry, AlarmRecord[] records, AlarmSpec[] specs, BlockPlan plan) {
        this.registry = registry;
        this.version = registry.version();
        this.records = records;
        this.specs = specs;
        this.byName = new HashMap<>(records.length * 2);
        for (int i = 0; i < records.length; i++) {
            byName.put(records[i].name(), i);
        }
        Integer[] byNameOrder = new Integer[records.length];
        Integer[] byFlagOrder = new Integer[records.length];
        for (int i = 0; i < records.length; i++) {
            byNameOrder[i] = i;
            byFlagOrder[i] = i;
        }
        Arrays.sort(byNameOrder, (x, y) -> records[x].name().compareTo(records[y].name()));
        Arrays.sort(byFlagOrder, (x, y) -> {
            int bank = Integer.compare(records[x].flagAllocation().bank(), records[y].flagAllocation().bank());
            return bank != 0 ? bank
                    : Integer.compare(records[x].flagAllocation().byteOffset(), records[y].flagAllocation().byteOffset());
        });
        this.nameOrder = Arrays.stream(byNameOrder).mapToInt(Integer::intValue).toArray();
        this.flagOrder = Arrays.stream(byFlagOrder).mapToInt(Integer::intValue).toArray();
        this.flagRank = new int[records.length];
        this.flagBank = new int[records.length];
        this.flagByte = new int[records.length];
        for (int rank = 0; rank < flagOrder.length; rank++) {
            flagRank[flagOrder[rank]] = rank;
            flagBank[rank] = records[flagOrder[rank]].flagAllocation().bank();
            flagByte[rank] = records[flagOrder[rank]].flagAllocation().byteOffset();
        }
        this.plan = plan;
        this.reads = plan.newReads();
        this.unadopted = new boolean[records.length];
        this.quiet = new QuietAlarms(records);
        for (int i = 0; i < records.length; i++) {
            records[i].quietMarks(quiet, i);
        }
    }

    /** @return the record's index, or null when no alarm has that name */
    Integer indexOf(String name) {
        return name == null ? null : byName.get(name);
    }

    Set<String> names() {
        return byName.keySet();
    }

    /** @return record indexes in name order */
    int[] nameOrder() {
        return nameOrder;
    }

    /** @return how many alarms wait to be taken over from RMA */
    int unadoptedCount() {
        return unadoptedCount;
    }

    /** The alarm's state must be taken (again) from RMA before it is evaluated, written or listed. */
    void unadopt(int i) {
        quiet.touched(i);
        if (!unadopted[i]) {
            unadopted[i] = true;
            unadoptedCount++;
        }
    }

    /** The alarm's state is known. */
    void adopted(int i) {
        quiet.touched(i);
        if (unadopted[i]) {
            unadopted[i] = false;
            unadoptedCount--;
        }
    }

    /** @return record {@code i} as clients see it */
    Alarm alarm(int i) {
        return records[i].toAlarm(specs[i]);
    }

    /**
     * @return the alarm's index, for an operator action or a client
     * @throws NexusException ALARM_NOT_FOUND; BACKEND_UNAVAILABLE while its state is not known
     */
    int find(String name) {
        return find(name, Access.UNRESTRICTED);
    }

    /** As {@link #find(String)}, for a caller: an alarm whose tag it does not see is not found, exactly. */
    int find(String name, Access access) {
        Integer index = indexOf(name);
        if (index == null || !access.sees(records[index].tag())) {
            throw new NexusException(ErrorCode.ALARM_NOT_FOUND, "no alarm is named '" + name
                    + "': list them with GET /api/v1/alarms or SELECT name FROM alarms");
        }
        if (unadopted[index]) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the state of alarm '" + name
                    + "' is not known yet: its flag byte cannot be read from RMA (see GET /health)");
        }
        return index;
    }
}
