package nexus.mcp.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One HTTP exchange with the MCP transport in memory: a request (method, headers, body) and what the
 * servlet answered (status, headers, body). For the transport's unit tests; McpIT has real HTTP.
 */
final class GateExchange {

    final int status;
    final Map<String, String> headers;
    final String body;

    private GateExchange(int status, Map<String, String> headers, String body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** A POST of a JSON body with the headers a client sends, plus (or instead of) {@code extra}. */
    static GateExchange post(HttpServlet servlet, String body, Map<String, String> extra) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return exchange(servlet, "POST", headers(extra), new ByteArrayInputStream(bytes), bytes.length);
    }

    static Map<String, String> headers(Map<String, String> extra) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", "application/json, text/event-stream");
        headers.put("Content-Type", "application/json");
        headers.putAll(extra);
        return headers;
    }

    static GateExchange exchange(HttpServlet servlet, String method, Map<String, String> headers, InputStream body, long length)
            throws IOException {
        Recorder recorder = new Recorder();
        try {
            servlet.service(request(method, headers, body, length), recorder.response());
        } catch (ServletException e) {
            throw new IOException(e);
        }
        recorder.writer.flush();
        return new GateExchange(recorder.status, recorder.headers, recorder.out.toString(StandardCharsets.UTF_8));
    }

    private static HttpServletRequest request(String method, Map<String, String> headers, InputStream body, long length) {
        Map<String, Object> attributes = new HashMap<>();
        ServletInputStream in = new ServletInputStream() {
            @Override public int read() throws IOException { return body.read(); }
            @Override public int read(byte[] b, int off, int len) throws IOException { return body.read(b, off, len); }
            @Override public boolean isFinished() { return false; }
            @Override public boolean isReady() { return true; }
            @Override public void setReadListener(ReadListener listener) { throw new UnsupportedOperationException(); }
        };
        return (HttpServletRequest) Proxy.newProxyInstance(GateExchange.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getHeaders" -> Collections.enumeration(headers.containsKey((String) args[0])
                            ? List.of(headers.get((String) args[0])) : List.of());
                    case "getHeaderNames" -> Collections.enumeration(headers.keySet());
                    case "getContentType" -> headers.get("Content-Type");
                    case "getContentLengthLong" -> length;
                    case "getContentLength" -> (int) length;
                    case "getInputStream" -> in;
                    case "getCharacterEncoding" -> null;
                    case "getRequestURI", "getServletPath" -> "/mcp";
                    case "getPathInfo", "getQueryString", "getSession" -> null;
                    case "getRemoteAddr" -> "127.0.0.1";
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "isAsyncSupported", "isAsyncStarted" -> false;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "request";
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
    }

    /** The response as the servlet sets it; getWriter and getOutputStream exclude each other, as in a container. */
    private static final class Recorder {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final PrintWriter writer = new PrintWriter(out, true, StandardCharsets.UTF_8);
        int status = 200;
        String using;

        HttpServletResponse response() {
            ServletOutputStream stream = new ServletOutputStream() {
                @Override public void write(int b) { out.write(b); }
                @Override public boolean isReady() { return true; }
                @Override public void setWriteListener(WriteListener listener) { throw new UnsupportedOperationException(); }
            };
            return (HttpServletResponse) Proxy.newProxyInstance(GateExchange.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "setStatus", "sendError" -> status = (Integer) args[0];
                            case "getStatus" -> {
                                return status;
                            }
                            case "setHeader", "addHeader" -> headers.put((String) args[0], (String) args[1]);
                            case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                            case "getWriter" -> {
                                if ("stream".equals(using)) {
                                    throw new IllegalStateException("getOutputStream was called");
                                }
                                using = "writer";
                                return writer;
                            }
                            case "getOutputStream" -> {
                                if ("writer".equals(using)) {
                                    throw new IllegalStateException("getWriter was called");
                                }
                                using = "stream";
                                return stream;
                            }
                            case "isCommitted" -> {
                                return false;
                            }
                            case "hashCode" -> {
                                return System.identityHashCode(proxy);
                            }
                            case "equals" -> {
                                return proxy == args[0];
                            }
                            default -> {
                                // the encoding and buffer calls are not observed here
                            }
                        }
                        return null;
                    });
        }
    }
}
