package nexus.api.http.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Just enough of a servlet request and response to drive {@link ApiServlet} without a container. */
final class FakeHttp {

    private FakeHttp() {
    }

    /**
     * A request as the given identity ({@link AccessFilter} has let it pass).
     *
     * @param uri the path under /api/v1 with an optional query string, e.g. {@code /tags?prefix=a}
     */
    static HttpServletRequest request(String method, String uri, String json, Requester requester) {
        HttpServletRequest request = request(method, uri, json);
        request.setAttribute(Requester.ATTRIBUTE, requester);
        return request;
    }

    /** @param uri the path under /api/v1 with an optional query string, e.g. {@code /tags?prefix=a} */
    static HttpServletRequest request(String method, String uri, String json) {
        return request(method, uri, json, json == null ? null : "application/json");
    }

    /** A request whose body has this content type (a snapshot file, say). */
    static HttpServletRequest request(String method, String uri, String json, String contentType, Requester requester) {
        HttpServletRequest request = request(method, uri, json, contentType);
        request.setAttribute(Requester.ATTRIBUTE, requester);
        return request;
    }

    /** A request as the given identity with these headers ({@code Accept}, say). */
    static HttpServletRequest request(String method, String uri, String json, Requester requester, Map<String, String> headers) {
        HttpServletRequest request = request(method, uri, json, json == null ? null : "application/json", headers);
        request.setAttribute(Requester.ATTRIBUTE, requester);
        return request;
    }

    private static HttpServletRequest request(String method, String uri, String json, String contentType) {
        return request(method, uri, json, contentType, Map.of());
    }

    private static HttpServletRequest request(String method, String uri, String json, String contentType,
            Map<String, String> headers) {
        Map<String, Object> attributes = new HashMap<>();
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        String query = uri.contains("?") ? uri.substring(uri.indexOf('?') + 1) : null;
        Map<String, String[]> parameters = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(kv[0], new String[] { kv.length > 1 ? kv[1] : "" });
            }
        }
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        ServletInputStream input = input(body); // one stream per request, as a container gives
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> "/api/v1" + path;
                    case "getPathInfo" -> path;
                    case "getQueryString" -> query;
                    case "getParameterMap" -> parameters;
                    case "getParameter" -> parameters.containsKey(args[0]) ? parameters.get(args[0])[0] : null;
                    case "getContentType" -> contentType;
                    case "getContentLengthLong" -> (long) body.length;
                    case "getInputStream" -> input;
                    case "isAsyncSupported", "isAsyncStarted" -> false;
                    case "getRemoteAddr" -> "192.0.2.7";
                    case "getHeader" -> headers.get(args[0]);
                    case "getAttribute" -> attributes.get(args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "toString" -> method + " " + uri;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static ServletInputStream input(byte[] body) {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
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
                throw new UnsupportedOperationException();
            }
        };
    }

    /** A response that keeps its status, headers and body. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        final HttpServletResponse servlet = (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] { HttpServletResponse.class }, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> status = (Integer) args[0];
                        case "getStatus" -> {
                            return status;
                        }
                        case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "addHeader" -> headers.merge((String) args[0], (String) args[1], (a, b) -> a + ", " + b);
                        case "getHeader" -> {
                            return headers.get(args[0]);
                        }
                        case "containsHeader" -> {
                            return headers.containsKey(args[0]);
                        }
                        case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                        case "setCharacterEncoding" -> {
                        }
                        case "isCommitted" -> {
                            return false;
                        }
                        case "reset" -> {
                            status = 200;
                            headers.clear();
                            body.reset();
                        }
                        case "getOutputStream" -> {
                            return output();
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    }
                    return null;
                });

        private ServletOutputStream output() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        JsonNode json() throws java.io.IOException {
            return Http.JSON.readTree(body.toByteArray());
        }
    }
}
