package nexus.alarm;

/**
 * The alarm flag byte: one byte per alarm in RMA, at the alarm's flag allocation in the registry.
 * The alarm manager owns these bytes and writes each whole; other RMA readers (a PLC, an HMI,
 * another process) may read them. Bit 0 is the least significant.
 *
 * <table>
 * <caption>Bits</caption>
 * <tr><th>bit</th><th>flag</th><th>set while</th></tr>
 * <tr><td>0</td><td>{@link #ENABLED}</td><td>the alarm is enabled (disabled alarms are not evaluated)</td></tr>
 * <tr><td>1</td><td>{@link #ACTIVE}</td><td>the alarm condition is present (after the on-delay, until
 * the off-delay has passed outside the deadband)</td></tr>
 * <tr><td>2</td><td>{@link #ACKED}</td><td>nothing waits for an acknowledgement</td></tr>
 * <tr><td>3</td><td>{@link #LATCHED}</td><td>a latching alarm's condition has cleared and the alarm is
 * held in alarm until reset</td></tr>
 * <tr><td>4</td><td>{@link #SHELVED}</td><td>an operator shelved it</td></tr>
 * <tr><td>5</td><td>{@link #SUPPRESSED}</td><td>suppressed by design</td></tr>
 * <tr><td>6</td><td>{@link #OUT_OF_SERVICE}</td><td>removed from service</td></tr>
 * <tr><td>7</td><td>{@link #VALID}</td><td>always, once the alarm manager wrote the byte; a byte with
 * bit 7 clear was never written and means nothing</td></tr>
 * </table>
 */
public final class AlarmFlags {

    public static final int ENABLED = 1;
    public static final int ACTIVE = 1 << 1;
    public static final int ACKED = 1 << 2;
    public static final int LATCHED = 1 << 3;
    public static final int SHELVED = 1 << 4;
    public static final int SUPPRESSED = 1 << 5;
    public static final int OUT_OF_SERVICE = 1 << 6;
    public static final int VALID = 1 << 7;

    /** The flags of an alarm the manager has just taken on: valid, enabled, nothing to acknowledge. */
    public static final int INITIAL = VALID | ENABLED | ACKED;

    private static final String[] NAMES = { "enabled", "active", "acked", "latched", "shelved", "suppressed",
        "outOfService", "valid" };

    private AlarmFlags() {
    }

    /**
     * Derives the ISA-18.2 state: out of service (or disabled) first, then shelved, then suppressed,
     * then in alarm ({@link #ACTIVE} or {@link #LATCHED}) or not, acknowledged or not.
     *
     * @param flags the flag byte (only the low 8 bits count); a byte without {@link #VALID} is
     *              derived as {@link #INITIAL}
     */
    public static AlarmState state(int flags) {
        int f = (flags & VALID) == 0 ? INITIAL : flags;
        if ((f & ENABLED) == 0 || (f & OUT_OF_SERVICE) != 0) {
            return AlarmState.OUT_OF_SERVICE;
        }
        if ((f & SHELVED) != 0) {
            return AlarmState.SHELVED;
        }
        if ((f & SUPPRESSED) != 0) {
            return AlarmState.SUPPRESSED;
        }
        boolean acked = (f & ACKED) != 0;
        if ((f & (ACTIVE | LATCHED)) != 0) {
            return acked ? AlarmState.ACKED_ALARM : AlarmState.UNACK_ALARM;
        }
        return acked ? AlarmState.NORMAL : AlarmState.RTN_UNACK;
    }

    /** @return whether the alarm is in alarm: its condition is present, or it is latched */
    public static boolean inAlarm(int flags) {
        return (flags & (ACTIVE | LATCHED)) != 0;
    }

    /** @return the names of the set flags, e.g. {@code "valid enabled active"}; {@code "none"} for 0 */
    public static String describe(int flags) {
        StringBuilder text = new StringBuilder((flags & VALID) != 0 ? NAMES[7] : "");
        for (int bit = 0; bit < 7; bit++) {
            if ((flags & (1 << bit)) != 0) {
                text.append(text.length() == 0 ? "" : " ").append(NAMES[bit]);
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}
