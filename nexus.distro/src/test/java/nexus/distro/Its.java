package nexus.distro;

import java.util.Set;

import nexus.core.Access;
import nexus.core.Caller;

/** What the integration tests share about who calls the services directly. */
final class Its {

    /** A test that calls a service in the framework acts as an administrator. */
    static final Caller ADMIN = Caller.of("it", Set.of(Access.ADMIN), "test");

    private Its() {
    }
}
