package nexus.mcp.internal;

import java.util.Map;
import java.util.function.Supplier;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import jakarta.servlet.http.HttpServletRequest;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.security.Authenticator;

/**
 * Who an MCP request is: every HTTP request (the server is stateless: initialize, each tool call, each
 * resource read stands alone) is authenticated like any client's — its {@code Authorization: Bearer} token, by the node's
 * {@link Authenticator}, with the source {@code mcp <address>} — and the tools act as that caller.
 * nexus.api.http's access filter has refused the request before (401) when the token is missing or
 * bad; this repeats the check for the identity itself, which that filter keeps to its own bundle.
 * Without an authenticator every call is refused (fail closed).
 */
final class Identities implements McpTransportContextExtractor<HttpServletRequest> {

    static final String CALLER = "nexus.caller";
    static final String REFUSAL = "nexus.refusal";
    /** The request attribute holding the context once it is made, so that a request is authenticated once. */
    static final String CONTEXT = "nexus.mcp.context";

    private final Supplier<Authenticator> authenticator;

    Identities(Supplier<Authenticator> authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public McpTransportContext extract(HttpServletRequest request) {
        if (request.getAttribute(CONTEXT) instanceof McpTransportContext made) {
            return made;
        }
        McpTransportContext context = authenticate(request);
        request.setAttribute(CONTEXT, context);
        return context;
    }

    private McpTransportContext authenticate(HttpServletRequest request) {
        Authenticator current = authenticator.get();
        if (current == null) {
            return McpTransportContext.create(Map.of(REFUSAL, new NexusException(ErrorCode.BACKEND_UNAVAILABLE,
                    "access control is not running (nexus.security): every tool call is refused until it is")));
        }
        try {
            Caller caller = current.authenticate(request.getHeader("Authorization"), request.getRemoteAddr(), "mcp").caller();
            return McpTransportContext.create(Map.of(CALLER, caller));
        } catch (NexusException e) {
            return McpTransportContext.create(Map.of(REFUSAL, e));
        }
    }

    /**
     * @return the caller of the request the context came from
     * @throws NexusException why there is none
     */
    static Caller callerOf(McpTransportContext context) {
        Object caller = context == null ? null : context.get(CALLER);
        if (caller instanceof Caller c) {
            return c;
        }
        Object refusal = context == null ? null : context.get(REFUSAL);
        throw refusal instanceof NexusException e ? e
                : new NexusException(ErrorCode.UNAUTHENTICATED, "the MCP request carries no identity: send Authorization: Bearer <token>");
    }
}
