package nexus.mcp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code nexus.mcp} ({@code etc/nexus.mcp.cfg}); docs/ai.md, "Configuration". */
@ObjectClassDefinition(name = "RMA Nexus MCP server", description = "The Model Context Protocol server at /mcp: what"
        + " agents may pull and change.")
@interface McpConfig {

    @AttributeDefinition(name = "max.rows", description = "Rows or items one tool call returns at most, on top of the"
            + " caller's role cap")
    int max_rows() default 500;

    @AttributeDefinition(name = "rate.per.minute", description = "Tool calls and resource reads a minute one identity may make, sustained, whatever its clients")
    int rate_per_minute() default 120;

    @AttributeDefinition(name = "rate.burst", description = "Tool calls and resource reads one identity may make at once")
    int rate_burst() default 20;

    @AttributeDefinition(name = "write.tags", description = "Tag path globs write_tag may change (the caller's role must"
            + " allow it too); empty: agents write nothing")
    String[] write_tags() default {};

    @AttributeDefinition(name = "acknowledge.alarms", description = "Tag path globs of the alarms acknowledge_alarm may"
            + " acknowledge (the caller's role must allow it too); empty: agents acknowledge nothing")
    String[] acknowledge_alarms() default {};

    @AttributeDefinition(name = "confirmation.seconds", description = "How long a dry run's confirmation id holds")
    int confirmation_seconds() default 120;
}
