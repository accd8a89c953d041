package nexus.platform.internal;

/**
 * What the health checks need to know about one installed bundle, copied out of the framework so
 * that the checks are plain Java.
 *
 * @param id             the bundle id
 * @param symbolicName   the symbolic name, or the location when the bundle has none
 * @param version        the bundle version
 * @param state          the state
 * @param fragment       whether the bundle is a fragment (fragments are never started)
 * @param lazyActivation whether the bundle declares a lazy activation policy
 * @param deployed       whether the bundle was installed from a watched folder ({@code deploy/})
 */
record BundleSnapshot(
        long id,
        String symbolicName,
        String version,
        State state,
        boolean fragment,
        boolean lazyActivation,
        boolean deployed) {

    /** The OSGi bundle states, by name. */
    enum State { INSTALLED, RESOLVED, STARTING, STOPPING, ACTIVE, UNINSTALLED }

    /** @return whether the bundle is where a healthy bundle of its kind should be */
    boolean healthy() {
        return switch (state) {
            case ACTIVE -> !fragment;
            case RESOLVED -> fragment;
            case STARTING -> lazyActivation;
            default -> false;
        };
    }

    /** @return the bundle as an operator reads it: {@code nexus.rma 0.1.0 [12] INSTALLED} */
    String describe() {
        String why = state == State.INSTALLED ? " (not resolved: see the log)" : "";
        return symbolicName + " " + version + " [" + id + "] " + state + why;
    }
}
