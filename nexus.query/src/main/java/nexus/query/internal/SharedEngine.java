package nexus.query.internal;

/**
 * A bundle-private service: the query component's engine, handed to the tag component so that tag
 * reads and users' SQL share one read planner, one block pool and one admission control, all
 * configured by PID {@code nexus.query}. Its package is not exported: no other bundle can use it.
 */
public interface SharedEngine {

    /** @return the engine; it lives as long as the query component */
    QueryEngine engine();
}
