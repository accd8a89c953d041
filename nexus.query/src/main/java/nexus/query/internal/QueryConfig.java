package nexus.query.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code nexus.query}, for example {@code etc/nexus.query.cfg}. */
@ObjectClassDefinition(name = "RMA Nexus query engine", description = "Limits of SELECT-only namespace"
        + " resolution and the block-merge rule of RMA reads.")
@interface QueryConfig {

    @AttributeDefinition(name = "rows.default", description = "Rows returned when a query gives no limit")
    int rows_default() default 10_000;

    @AttributeDefinition(name = "rows.max", description = "The most rows any query returns; a larger limit is lowered")
    int rows_max() default 100_000;

    @AttributeDefinition(name = "timeout", description = "Milliseconds SQLite may run before the query is stopped")
    long timeout() default 5_000;

    @AttributeDefinition(name = "sql.max", description = "The longest SQL text accepted, in characters")
    int sql_max() default 65_536;

    @AttributeDefinition(name = "merge.gap", description = "The largest gap, in bytes, one block read merges over")
    int merge_gap() default 256;

    @AttributeDefinition(name = "merge.block", description = "The longest merged block read, in bytes")
    int merge_block() default 4_096;

    @AttributeDefinition(name = "plan.cache", description = "How many read plans to keep")
    int plan_cache() default 256;

    @AttributeDefinition(name = "cache.bytes", description = "Bytes the result cache may hold (estimated): the"
            + " metadata of select answers (rows and read plan) per registry version, so that a repeated query"
            + " reads only its live values; least recently used out first, dropped whole on a new registry version."
            + " An answer larger than this alone is served uncached. 0 turns the cache off")
    long cache_bytes() default 32L << 20;

    @AttributeDefinition(name = "slots", description = "Queries (and explains) that run at once, each on a read-only"
            + " connection of the engine's own to the served registry version (as many connections as slots); at least 2."
            + " Tag reads of the tag service take a slot too, briefly. One slot is always kept for short"
            + " queries: at most slots - 1 run longer than long.after")
    int slots() default 4;

    @AttributeDefinition(name = "queue", description = "Queries that may wait for a slot when all are taken; one more"
            + " is refused at once with OVERLOADED (HTTP 429, Retry-After: 1)")
    int queue() default 32;

    @AttributeDefinition(name = "queue.wait", description = "Milliseconds a query waits for a slot at most; then it is"
            + " refused with OVERLOADED (HTTP 429, Retry-After: 1)")
    long queue_wait() default 2_000;

    @AttributeDefinition(name = "long.after", description = "Milliseconds after which a running query counts as long;"
            + " when slots - 1 long queries run already it is stopped and refused with OVERLOADED (HTTP 429,"
            + " Retry-After: the timeout in seconds)")
    long long_after() default 500;
}
