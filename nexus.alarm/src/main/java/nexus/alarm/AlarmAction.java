package nexus.alarm;

import nexus.core.Permission;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every operator action on an alarm, said once: {@link AlarmService#act} carries them out, and the
 * front-ends derive their routes and commands from this list, so adding an action is one change.
 *
 * @since 2.0
 */
public enum AlarmAction {
    /** UNACK_ALARM → ACKED_ALARM, RTN_UNACK → NORMAL. */
    ACKNOWLEDGE("ack", "ack", "acknowledges the alarm", "acknowledged", Permission.ACKNOWLEDGE),
    /**
     * Shelves for a time ({@link ActionRequest#shelveFor()}), at most the definition's maximum, or
     * one-shot ({@link ActionRequest#oneShot()}): ends when the condition clears. When the time runs
     * out an alarm still in alarm returns unacknowledged (IEC 62682 §11.7.3).
     */
    SHELVE("shelve", "shelve", "shelves the alarm for a time, or one-shot until it clears", "shelved", Permission.SHELVE),
    /** Ends a shelve; an alarm still in alarm returns acknowledged (IEC 62682 §11.7.3). */
    UNSHELVE("unshelve", "unshelve", "ends a shelve", "unshelved", Permission.SHELVE),
    /** Resets a latched alarm whose condition has cleared and that is acknowledged: → NORMAL. */
    RESET("reset", "reset", "resets a latched alarm whose condition has cleared", "reset", Permission.ACKNOWLEDGE),
    /** Suppresses by design: evaluated, not annunciated. */
    SUPPRESS("suppress", "suppress", "suppresses the alarm by design", "suppressed", Permission.SUPPRESS),
    /** Ends a suppression; the alarm shows its state as evaluated meanwhile. */
    UNSUPPRESS("unsuppress", "unsuppress", "ends a suppression", "no longer suppressed", Permission.SUPPRESS),
    /** Removes from service: no longer evaluated; its occurrence and any shelve end. */
    REMOVE_FROM_SERVICE("remove-from-service", "outofservice", "removes the alarm from service", "removed from service",
            Permission.REMOVE_FROM_SERVICE),
    /** Returns to service: NORMAL, then evaluated again (with its on-delay). */
    RETURN_TO_SERVICE("return-to-service", "inservice", "returns the alarm to service", "returned to service",
            Permission.REMOVE_FROM_SERVICE),
    /** Disables: like removal from service, as an engineering setting rather than maintenance. */
    DISABLE("disable", "disable", "disables the alarm", "disabled", Permission.DISABLE),
    /** Enables a disabled alarm: NORMAL, then evaluated again. */
    ENABLE("enable", "enable", "enables a disabled alarm", "enabled", Permission.DISABLE);

    private final String wireName;
    private final String command;
    private final String summary;
    private final String done;
    private final Permission permission;

    AlarmAction(String wireName, String command, String summary, String done, Permission permission) {
        this.wireName = wireName;
        this.command = command;
        this.summary = summary;
        this.done = done;
        this.permission = permission;
    }

    /**
     * @return the permission a caller's roles must grant for this action
     * @since 3.0
     */
    public Permission permission() {
        return permission;
    }

    /** @return the action's name in HTTP routes, audit records and events, e.g. {@code remove-from-service} */
    public String wireName() {
        return wireName;
    }

    /** @return the Gogo command's name, e.g. {@code outofservice} */
    public String command() {
        return command;
    }

    /** @return one line for help texts and API documents */
    public String summary() {
        return summary;
    }

    /** @return what an operator reads once it is done, e.g. {@code removed from service} */
    public String done() {
        return done;
    }

    /** @return the action with this wire name */
    public static Optional<AlarmAction> byWireName(String name) {
        return Arrays.stream(values()).filter(a -> a.wireName.equals(name)).findFirst();
    }

    /** @return the wire names, separated by commas, for error messages */
    public static String wireNames() {
        return Arrays.stream(values()).map(AlarmAction::wireName).collect(Collectors.joining(", "));
    }
}
