package nexus.security;

import java.util.Objects;

import nexus.core.Access;

/**
 * A role in force.
 *
 * @param name    the role's name
 * @param builtIn whether it is one of {@code viewer}, {@code operator}, {@code engineer}, {@code admin}
 * @param access  what the role alone grants (its {@code roles} hold only this one)
 * @param source  where it is defined: {@code built-in}, or the configuration file
 * @since 1.0
 */
public record RoleInfo(String name, boolean builtIn, Access access, String source) {

    public RoleInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(source, "source");
    }
}
