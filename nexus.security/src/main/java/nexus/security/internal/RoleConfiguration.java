package nexus.security.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One role configuration (factory PID {@code nexus.security.role}, one instance per file
 * {@code etc/nexus.security.role-<anything>.cfg}), offered to the {@link RolesComponent} as its service
 * properties, which are the configuration's properties. Nothing is checked here: a configuration
 * Metatype could not coerce must still reach the role table, to be refused with its file and line.
 * A changed file modifies the service's properties in place (no unregistering), so the role never
 * disappears between two definitions.
 */
@Component(configurationPid = RoleConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = RoleConfiguration.class)
@Designate(ocd = RoleConfig.class, factory = true)
public final class RoleConfiguration {

    /** The factory PID of role configurations. */
    static final String PID = "nexus.security.role";

    /** The new properties become the service's; {@link RolesComponent} hears of them. */
    @Modified
    void modified() {
        // Declared so that DS keeps the component (and its service) through a change.
    }
}
