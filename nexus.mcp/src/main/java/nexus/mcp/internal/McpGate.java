package nexus.mcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.json.Problem;
import reactor.core.publisher.Mono;

/**
 * The MCP server's HTTP transport at {@value McpEndpoint#PATH}: streamable HTTP without sessions,
 * written here on the SDK's {@link McpStatelessServerTransport} contract (the SDK's own servlet
 * answers client mistakes with its exceptions serialised and logs each at ERROR). Each POST is one
 * JSON-RPC message; the SDK's server answers requests; everything a client can get wrong is
 * answered here in the node's words and logged at DEBUG:
 *
 * <ul>
 * <li>a method other than POST: 405, {@code Allow: POST} (no stream to GET, no session to DELETE);</li>
 * <li>{@code Content-Type} other than {@code application/json}: 415;</li>
 * <li>{@code Accept} without both {@code application/json} and {@code text/event-stream}: 400;</li>
 * <li>an {@code MCP-Protocol-Version} the server does not speak: 400 naming those it does;</li>
 * <li>a body over {@value #MAX_BODY} bytes: 413; not one JSON-RPC request or notification: 400
 * ({@link Messages});</li>
 * <li>a notification: 202, nothing else (a stateless server has nothing to do with one);</li>
 * <li>{@code initialize}, {@code resources/read} or {@code tools/call} without the parameters they
 * need: the JSON-RPC error -32602 naming them;</li>
 * <li>{@code tools/call} of a tool that does not exist, or with arguments that are not an object:
 * a tool error result, rate-limited and audited like any call ({@link Toolbox#refuse}).</li>
 * </ul>
 * An internal error of the SDK's server reaches the client as -32603 without its message (logged
 * here at WARN). The body is read without a thread waiting for it ({@link McpBody}): one that has not
 * arrived whole within {@link McpBody#BODY_WAIT} is 400 and the connection is closed. Thread-safe.
 */
final class McpGate extends HttpServlet implements McpStatelessServerTransport {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(McpGate.class);

    /** The largest request body accepted, in bytes: tool arguments are small (a filter, a SQL text). */
    static final int MAX_BODY = 1 << 20;
    /**
     * The most of an oversized body read away before the 413, bytes, within {@link McpBody#DRAIN_WAIT}:
     * a connection closed with bytes unread is reset by TCP, and the reset can overtake the answer.
     */
    static final int DRAIN_MAX = 4 * MAX_BODY;
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream";

    private final transient Identities identities;
    private final transient Toolbox toolbox;
    private final transient Function<Outcome, McpSchema.CallToolResult> results;
    private final transient McpJsonMapper mapper;
    private transient volatile McpStatelessServerHandler handler;
    private transient volatile boolean closing;

    McpGate(Identities identities, Toolbox toolbox, Function<Outcome, McpSchema.CallToolResult> results, McpJsonMapper mapper) {
        this.identities = identities;
        this.toolbox = toolbox;
        this.results = results;
        this.mapper = mapper;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> closing = true);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            check(request);
        } catch (Messages.Refused refused) {
            refuse(response, refused);
            return;
        }
        long declared = request.getContentLengthLong();
        if (McpBody.possible(request)) {
            // No thread waits for the body: a client that declares one and sends it slowly or never holds none.
            boolean tooLarge = declared > MAX_BODY;
            McpBody.read(request, response, tooLarge ? 0 : MAX_BODY + 1, DRAIN_MAX,
                    tooLarge ? McpBody.DRAIN_WAIT : McpBody.BODY_WAIT, (whole, body) -> {
                        if (!whole) {
                            response.setHeader("Connection", "close"); // what is left of the body stays unread
                        }
                        try {
                            respond(request, response, message(body, whole, declared));
                        } catch (Messages.Refused refused) {
                            refuse(response, refused);
                        }
                    });
            return;
        }
        try {
            respond(request, response, read(request, response));
        } catch (Messages.Refused refused) {
            refuse(response, refused);
        }
    }

    private static void refuse(HttpServletResponse response, Messages.Refused refused) {
        LOG.debug("MCP request refused: {}", refused.getMessage());
        try {
            problem(response, refused.problem());
        } catch (IOException gone) {
            LOG.debug("the refusal could not be sent: {}", gone.getMessage());
        }
    }

    /** Answers one admitted message: 202 for a notification, the JSON-RPC response for a request. */
    private void respond(HttpServletRequest request, HttpServletResponse response, McpSchema.JSONRPCMessage message)
            throws IOException {
        if (message instanceof McpSchema.JSONRPCNotification) {
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        McpSchema.JSONRPCRequest call = (McpSchema.JSONRPCRequest) message;
        McpTransportContext context = identities.extract(request);
        McpSchema.JSONRPCResponse answer = answer(call, context);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(JSON);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(mapper.writeValueAsString(answer));
    }

    /** Every check of the HTTP exchange before its body: method, state, content type, Accept, protocol version. */
    private void check(HttpServletRequest request) throws Messages.Refused {
        if (!"POST".equals(request.getMethod())) {
            throw refused(405, "METHOD_NOT_ALLOWED", "Method not allowed", "this MCP server is stateless (streamable HTTP"
                    + " without sessions): POST each JSON-RPC message to " + McpEndpoint.PATH + "; there is no stream to GET"
                    + " and no session to DELETE");
        }
        if (closing || handler == null) {
            throw new Messages.Refused(Problem.document(ErrorCode.BACKEND_UNAVAILABLE, "the MCP server is stopping: retry"
                    + " when /health shows component mcp UP"));
        }
        String type = request.getContentType();
        if (type == null || !type.split(";", 2)[0].strip().equalsIgnoreCase(JSON)) {
            throw refused(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "send the header Content-Type: " + JSON
                    + " (the body is one JSON-RPC message)");
        }
        String accept = request.getHeader("Accept") == null ? "" : request.getHeader("Accept").toLowerCase(Locale.ROOT);
        if (!accept.contains(JSON) || !accept.contains(EVENT_STREAM)) {
            throw new Messages.Refused("send the header Accept: " + JSON + ", " + EVENT_STREAM
                    + " (MCP's streamable HTTP transport requires both)");
        }
        String version = request.getHeader("MCP-Protocol-Version");
        if (version != null && !protocolVersions().contains(version.strip())) {
            throw new Messages.Refused("MCP-Protocol-Version " + cut(version) + " is not spoken here: this server speaks "
                    + String.join(", ", protocolVersions()));
        }
    }

    /** @return the message of a body read asynchronously ({@link McpBody}) */
    private static McpSchema.JSONRPCMessage message(byte[] body, boolean whole, long declared) throws Messages.Refused {
        if (declared > MAX_BODY || body.length > MAX_BODY) {
            throw tooLarge();
        }
        if (!whole) {
            throw new Messages.Refused("the request body did not arrive whole within " + McpBody.BODY_WAIT.toSeconds()
                    + " s: send the whole message at once");
        }
        return Messages.read(body);
    }

    /**
     * @return the message of a body read on this thread (a container without asynchronous processing
     *         here); a body over {@value #MAX_BODY} bytes is not read on, and the connection closes
     */
    private static McpSchema.JSONRPCMessage read(HttpServletRequest request, HttpServletResponse response)
            throws Messages.Refused {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = request.getContentLengthLong() > MAX_BODY ? null : in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new Messages.Refused("the request body could not be read: the client stopped sending it or the connection"
                    + " broke");
        }
        if (body == null || body.length > MAX_BODY) {
            response.setHeader("Connection", "close");
            throw tooLarge();
        }
        return Messages.read(body);
    }

    /** @return the answer to a request: the SDK server's, unless the gate answers it in its stead */
    private McpSchema.JSONRPCResponse answer(McpSchema.JSONRPCRequest call, McpTransportContext context) {
        Map<String, Object> params = call.params() instanceof Map<?, ?> ? cast(call.params()) : Map.of();
        String missing = switch (call.method()) {
            case McpSchema.METHOD_INITIALIZE -> params.get("protocolVersion") instanceof String ? null
                    : "initialize needs params.protocolVersion (a revision such as 2025-11-25), params.capabilities and"
                            + " params.clientInfo";
            case McpSchema.METHOD_RESOURCES_READ -> params.get("uri") instanceof String ? null
                    : "resources/read needs params.uri, e.g. nexus://schema";
            default -> null;
        };
        if (missing != null) {
            LOG.debug("MCP {} refused: {}", call.method(), missing);
            return McpSchema.JSONRPCResponse.error(call.id(),
                    new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS, missing, null));
        }
        if (McpSchema.METHOD_TOOLS_CALL.equals(call.method())) {
            Outcome refusal = refusal(params, context);
            if (refusal != null) {
                return McpSchema.JSONRPCResponse.result(call.id(), results.apply(refusal));
            }
        }
        McpSchema.JSONRPCResponse answer;
        try {
            answer = handler.handleRequest(context, call).block();
        } catch (RuntimeException e) {
            LOG.warn("The MCP server failed on {}", call.method(), e);
            answer = null;
        }
        if (answer == null || answer.error() != null && answer.error().code() == McpSchema.ErrorCodes.INTERNAL_ERROR) {
            if (answer != null) {
                LOG.warn("The MCP server failed on {}: {}", call.method(), answer.error().message());
            }
            return McpSchema.JSONRPCResponse.error(call.id(), new McpSchema.JSONRPCResponse.JSONRPCError(
                    McpSchema.ErrorCodes.INTERNAL_ERROR, "the server could not answer " + call.method()
                            + "; the node's log has the details", null));
        }
        return answer;
    }

    /** @return the tool error for a call the toolbox cannot make as asked, or null when it can */
    private Outcome refusal(Map<String, Object> params, McpTransportContext context) {
        Object name = params.get("name");
        Object arguments = params.get("arguments");
        NexusException why;
        if (!(name instanceof String tool)) {
            why = new NexusException(ErrorCode.INVALID_ARGUMENT, "tools/call names no tool: send params.name, one of "
                    + String.join(", ", toolbox.tools().keySet()));
        } else if (!toolbox.tools().containsKey(tool)) {
            why = toolbox.unknown(tool);
        } else if (arguments != null && !(arguments instanceof Map)) {
            why = new NexusException(ErrorCode.INVALID_ARGUMENT, "the arguments of " + tool + " must be a JSON object;"
                    + " tools/list gives its input schema");
        } else {
            return null;
        }
        LOG.debug("MCP tools/call refused: {}", why.getMessage());
        try {
            Caller caller = Identities.callerOf(context);
            return toolbox.refuse(caller, String.valueOf(name), arguments, why);
        } catch (NexusException unauthenticated) {
            return Outcome.refused(unauthenticated);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object params) {
        return (Map<String, Object>) params;
    }

    /** The refusal of a body over {@value #MAX_BODY} bytes. */
    private static Messages.Refused tooLarge() {
        return new Messages.Refused(Problem.document(ErrorCode.PAYLOAD_TOO_LARGE, "an MCP message may be at most " + MAX_BODY
                + " bytes"));
    }

    private static Messages.Refused refused(int status, String code, String title, String detail) {
        return new Messages.Refused(Problem.document(status, code, title, detail));
    }

    private static String cut(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static void problem(HttpServletResponse response, Map<String, Object> problem) throws IOException {
        int status = (Integer) problem.get("status");
        if (status == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
            response.setHeader("Allow", "POST");
        }
        response.setStatus(status);
        response.setContentType(Problem.CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        Schemas.json().writeValue(response.getOutputStream(), problem);
    }
}
