package nexus.registry;

/**
 * What the registry service is doing.
 *
 * @param file           the configured registry file
 * @param frozen         whether the file is frozen (changes are reported, never loaded)
 * @param version        the version served, 0 when none
 * @param tags           the number of tags served
 * @param alarms         the number of alarm definitions served
 * @param lastValidation the report of the last validation (of the served file or a rejected
 *                       replacement), or {@code null} before the first
 * @param problem        why nothing is served, or why the file on disk is not the one served;
 *                       {@code null} when all is well
 */
public record RegistryStatus(String file, boolean frozen, long version, int tags, int alarms,
        ValidationReport lastValidation, String problem) {
}
