package nexus.mcp.internal;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.json.Problem;

/**
 * The servlet at {@value McpEndpoint#PATH}, in front of the SDK's stateless transport. It answers
 * itself everything a client can get wrong, in the node's own words — a problem document
 * (RFC 9457) for a request that is no MCP message, a tool error result for a call the toolbox
 * cannot make — and logs such mistakes at DEBUG: the SDK would answer them with its exception
 * serialised, stack trace included, and log each at ERROR. What the SDK then receives is a JSON-RPC
 * request it can serve; should it still answer an HTTP error, that answer too is replaced by a
 * problem document.
 *
 * <ul>
 * <li>Only POST: the server is stateless, so there is no stream to GET and no session to DELETE
 * (405, {@code Allow: POST}).</li>
 * <li>{@code Accept} must name both {@code application/json} and {@code text/event-stream}, as the
 * transport requires (400 naming the header).</li>
 * <li>A body of at most {@value #MAX_BODY} bytes (413), one JSON-RPC request or notification (400
 * naming what is wrong; a JSON-RPC response is refused, the server asks clients nothing).</li>
 * <li>Notifications are accepted (202) here: a stateless server has nothing to do with them.</li>
 * <li>{@code tools/call} of a tool that does not exist, or with arguments that are not an object,
 * is a tool error result naming the tools, audited like any call (the SDK would answer a JSON-RPC
 * error).</li>
 * </ul>
 */
final class McpGate extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(McpGate.class);

    /** The largest request body accepted, in bytes: tool arguments are small (a filter, a SQL text). */
    static final int MAX_BODY = 1 << 20;
    private static final int MAX_REASON = 200;
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream";

    private final transient HttpServlet sdk;
    private final transient Identities identities;
    private final transient Toolbox toolbox;
    private final transient McpEndpoint endpoint;
    private final transient McpJsonMapper mapper;

    McpGate(HttpServlet sdk, Identities identities, Toolbox toolbox, McpEndpoint endpoint, McpJsonMapper mapper) {
        this.sdk = sdk;
        this.identities = identities;
        this.toolbox = toolbox;
        this.endpoint = endpoint;
        this.mapper = mapper;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            refuse(response, Problem.document(405, "METHOD_NOT_ALLOWED", "Method not allowed", "this MCP server is"
                    + " stateless (streamable HTTP without sessions): POST each JSON-RPC message to " + McpEndpoint.PATH
                    + "; there is no stream to GET and no session to DELETE"), request.getMethod());
            return;
        }
        String accept = request.getHeader("Accept");
        if (accept == null || !accept.contains(JSON) || !accept.contains(EVENT_STREAM)) {
            refuse(response, Problem.document(ErrorCode.INVALID_ARGUMENT, "send the header Accept: " + JSON + ", "
                    + EVENT_STREAM + " (MCP's streamable HTTP transport requires both)"), "Accept " + accept);
            return;
        }
        byte[] body = body(request);
        if (body == null) {
            refuse(response, Problem.document(ErrorCode.PAYLOAD_TOO_LARGE, "an MCP message may be at most " + MAX_BODY
                    + " bytes"), "a body over " + MAX_BODY + " bytes");
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(mapper, new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            refuse(response, Problem.document(ErrorCode.INVALID_ARGUMENT, "the body is not one JSON-RPC 2.0 request or"
                    + " notification as MCP sends them: " + reason(e)), e.getMessage());
            return;
        }
        if (message instanceof McpSchema.JSONRPCNotification) {
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        if (!(message instanceof McpSchema.JSONRPCRequest call)) {
            refuse(response, Problem.document(ErrorCode.INVALID_ARGUMENT, "this server sends clients no requests, so it"
                    + " takes no JSON-RPC responses: POST requests and notifications"), "a JSON-RPC response");
            return;
        }
        if (McpSchema.METHOD_TOOLS_CALL.equals(call.method()) && answeredHere(request, response, call)) {
            return;
        }
        Errors errors = new Errors(response);
        sdk.service(new Replay(request, body), errors);
        if (errors.status != 0) {
            LOG.debug("the MCP SDK answered HTTP {} to {}", errors.status, call.method());
            problem(response, sdkError(errors.status));
        }
    }

    /**
     * Answers a {@code tools/call} the toolbox cannot make — no such tool, arguments that are no
     * object — with a tool error result.
     *
     * @return whether it was answered
     */
    private boolean answeredHere(HttpServletRequest request, HttpServletResponse response, McpSchema.JSONRPCRequest call)
            throws IOException {
        Map<?, ?> params = call.params() instanceof Map<?, ?> m ? m : Map.of();
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
            return false;
        }
        Outcome outcome;
        try {
            Caller caller = Identities.callerOf(identities.extract(request));
            outcome = toolbox.refuse(caller, String.valueOf(name), arguments, why);
        } catch (NexusException unauthenticated) {
            outcome = Outcome.refused(unauthenticated);
        }
        LOG.debug("MCP tools/call refused before the SDK: {}", why.getMessage());
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(JSON);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(mapper.writeValueAsString(McpSchema.JSONRPCResponse.result(call.id(), endpoint.result(outcome))));
        return true;
    }

    /** @return the body, or null when it is larger than {@value #MAX_BODY} bytes */
    private static byte[] body(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            return bytes.length > MAX_BODY ? null : bytes;
        }
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int line = message.indexOf('\n');
        String first = line < 0 ? message : message.substring(0, line);
        return first.length() <= MAX_REASON ? first : first.substring(0, MAX_REASON) + "…";
    }

    private static Map<String, Object> sdkError(int status) {
        return switch (status) {
            case 400 -> Problem.document(ErrorCode.INVALID_ARGUMENT, "the MCP request was refused (HTTP 400): send one"
                    + " JSON-RPC 2.0 request as MCP's streamable HTTP transport defines it");
            case 413 -> Problem.document(ErrorCode.PAYLOAD_TOO_LARGE, "an MCP message may be at most " + MAX_BODY + " bytes");
            case 503 -> Problem.document(ErrorCode.BACKEND_UNAVAILABLE, "the MCP server is stopping: retry when /health"
                    + " shows component mcp UP");
            default -> status >= 500
                    ? Problem.document(ErrorCode.INTERNAL, "the MCP server could not answer (HTTP " + status + "); the"
                            + " node's log has the details")
                    : Problem.document(status, "INVALID_ARGUMENT", "Bad request", "the MCP request was refused (HTTP "
                            + status + ")");
        };
    }

    private static void refuse(HttpServletResponse response, Map<String, Object> problem, String what) throws IOException {
        LOG.debug("MCP request refused ({}): {}", what, problem.get("detail"));
        problem(response, problem);
    }

    private static void problem(HttpServletResponse response, Map<String, Object> problem) throws IOException {
        response.setStatus((Integer) problem.get("status"));
        response.setContentType(Problem.CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        Schemas.json().writeValue(response.getOutputStream(), problem);
    }

    /** The request as the SDK reads it: the body already read, again, and always UTF-8 (JSON's encoding). */
    private static final class Replay extends HttpServletRequestWrapper {

        private final byte[] body;

        Replay(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public String getCharacterEncoding() {
            return "UTF-8";
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is read already");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }
    }

    /**
     * The response as the SDK writes it: an error status (400 and up, set or sent) is kept here and
     * what the SDK writes after it is dropped, so that the gate answers instead.
     */
    private static final class Errors extends HttpServletResponseWrapper {

        int status;

        Errors(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            if (sc >= 400) {
                status = sc;
            } else if (status == 0) {
                super.setStatus(sc);
            }
        }

        @Override
        public void sendError(int sc) {
            status = sc;
        }

        @Override
        public void sendError(int sc, String msg) {
            status = sc;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            return status != 0 ? new PrintWriter(Writer.nullWriter()) : super.getWriter();
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (status == 0) {
                return super.getOutputStream();
            }
            OutputStream sink = OutputStream.nullOutputStream();
            return new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    sink.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new IllegalStateException("an error answer is written by the gate");
                }
            };
        }
    }
}
