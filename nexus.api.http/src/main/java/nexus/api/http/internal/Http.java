package nexus.api.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** Reading JSON bodies within limits, and writing JSON as a stream, gzip-compressed when accepted. */
final class Http {

    /**
     * Reads request bodies strictly: one JSON value and nothing after it, no field twice, and
     * decimals as exact {@link java.math.BigDecimal}s, so that a number beyond a type's range is
     * seen as what it is (1e400 stays 1E+400, never Infinity) and judged by the write rules.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** The same documents in CBOR (RFC 8949), for a client that asks {@code application/cbor}. */
    static final ObjectMapper CBOR = new CBORMapper();

    /** Writes a JSON document into a generator. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private Http() {
    }

    /**
     * Refuses a field the request does not take: a misspelt one ({@code "vlaue"}) must not pass as if
     * the field it meant were absent, nor an extra one as if it had been applied.
     *
     * @param takes the fields the request takes, in the words of the message ({@code "sql, params and limit"})
     */
    static void onlyFields(JsonNode body, java.util.Set<String> allowed, String takes) {
        onlyFields(body, allowed, "the body", takes);
    }

    /** @param where what the object is, in the words of the message ({@code "writes[2]"}) */
    static void onlyFields(JsonNode object, java.util.Set<String> allowed, String where, String takes) {
        for (java.util.Iterator<String> fields = object.fieldNames(); fields.hasNext();) {
            String field = fields.next();
            if (!allowed.contains(field)) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "unknown field \"" + field + "\": " + where + " takes "
                        + takes);
            }
        }
    }

    /**
     * The most of an unread body a refusal reads away to keep the connection usable, bytes: four
     * times the default body limit, so that a body refused as too large (413) is read away too — a
     * connection closed with bytes unread is reset by TCP, and the reset can overtake the answer.
     * {@link AsyncBody} reads it, asynchronously.
     */
    static final int DRAIN_MAX = 256 * 1024;

    /**
     * Refuses a body that names a {@code "user"}: a write or an alarm action is taken as the
     * authenticated identity, never as whoever a client types, and a body that says otherwise must
     * not pass as if it had been honoured.
     *
     * @throws NexusException INVALID_ARGUMENT when the body has the field {@code user}
     */
    static void refuseUser(JsonNode body) {
        if (body.has("user")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body names a \"user\": writes and alarm actions are"
                    + " taken as the authenticated identity (Authorization header) and audited as it; remove \"user\""
                    + " from the body");
        }
    }

    /** Headers an answer replaced by a problem keeps: CORS (set by {@link OriginFilter}), and a connection to close. */
    private static final List<String> KEPT = List.of("Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Vary",
            "Connection");

    /**
     * Clears a response that is not committed yet for a problem, keeping what the filters before the
     * servlet set (CORS), so that the page that sent the request can read the problem.
     */
    static void reset(HttpServletResponse response) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : KEPT) {
            String value = response.getHeader(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        response.reset();
        kept.forEach(response::setHeader);
    }

    /**
     * @return the request's JSON body
     * @throws NexusException INVALID_ARGUMENT for another content type or malformed JSON,
     *                        PAYLOAD_TOO_LARGE above {@code maxBytes}
     */
    static JsonNode body(HttpServletRequest request, int maxBytes) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body must be JSON: send Content-Type: application/json"
                    + (type == null ? "" : ", not " + type));
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = request.getInputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bytes.write(buffer, 0, n);
                if (bytes.size() > maxBytes) {
                    throw tooLarge(bytes.size(), maxBytes);
                }
            }
        } catch (IOException e) {
            // The body ended before its announced length, or its chunked encoding is broken: the
            // request is incomplete (if the client is gone, the answer simply goes nowhere).
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body ended early or its chunked encoding is"
                    + " malformed: send the whole body (" + (declared < 0 ? "chunked" : declared + " bytes announced") + ")");
        }
        return object(bytes.toByteArray());
    }

    /**
     * @return the JSON object these bytes hold
     * @throws NexusException INVALID_ARGUMENT, saying in plain words what is wrong and where
     */
    static JsonNode object(byte[] bytes) {
        if (bytes.length == 0) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body is empty: send a JSON object");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, malformed(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array: cannot happen
        }
    }

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);
    private static final Pattern NON_STANDARD = Pattern.compile("Non-standard token '([^']*)'");

    /** @return what is wrong with a body, in plain words: no parser class, feature or constraint names */
    static String malformed(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        var at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        if (e instanceof StreamConstraintsException) {
            StreamReadConstraints limits = JSON.getFactory().streamReadConstraints();
            if (original.contains("nesting")) {
                return "the body nests deeper than " + limits.getMaxNestingDepth() + " levels";
            }
            if (original.startsWith("Number")) {
                return "a number in the body is longer than " + limits.getMaxNumberLength() + " characters";
            }
            if (original.startsWith("String")) {
                return "a string in the body is longer than " + limits.getMaxStringLength() + " characters";
            }
            return "the body is larger or deeper than JSON bodies may be";
        }
        if (original.startsWith("Trailing token")) {
            return "the body has more after its JSON object" + where + ": send exactly one JSON object";
        }
        Matcher duplicate = DUPLICATE.matcher(original);
        if (duplicate.matches()) {
            return "the body has the field \"" + duplicate.group(1) + "\" twice" + where + ": send each field once";
        }
        Matcher nonStandard = NON_STANDARD.matcher(original);
        if (nonStandard.find()) {
            return "the body is not valid JSON" + where + ": " + nonStandard.group(1) + " is not a JSON value"
                    + " (JSON has no NaN or Infinity)";
        }
        return "the body is not valid JSON" + where + ": " + plain(original);
    }

    /** The parser's own words without its locations, feature names or class names. */
    static String plain(String message) {
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        return first.replaceAll("\\s*\\(start marker at \\[[^\\]]*\\]\\)", "")
                .replaceAll("\\s*at \\[Source:[^\\]]*\\]", "")
                .replaceAll("\\s*\\[Source:[^\\]]*\\]", "")
                .replaceAll("\\s*\\(bound as `[^`]*`\\)", "")
                .replaceAll("`[^`]*`", "")
                .replaceAll("(?:[a-z]\\w*\\.)+[A-Z]\\w*", "")
                .replaceAll("\\s+", " ").strip();
    }

    private static NexusException tooLarge(long size, int max) {
        return new NexusException(ErrorCode.PAYLOAD_TOO_LARGE, "the body is " + size + " bytes; the limit is " + max);
    }

    /** Streams a JSON answer: no copy of the whole document in memory; gzip when the client accepts it. */
    static void json(HttpServletRequest request, HttpServletResponse response, int status, Body body) throws IOException {
        write(request, response, status, "application/json", JSON, body);
    }

    /**
     * Writes a document in the mapper's format ({@link #JSON}, {@link #CBOR}), gzipped when the client accepts it.
     *
     * @param contentType the media type; a JSON one is sent with {@code charset=UTF-8}
     */
    static void write(HttpServletRequest request, HttpServletResponse response, int status, String contentType,
            ObjectMapper mapper, Body body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        if (contentType.endsWith("json")) {
            response.setCharacterEncoding("UTF-8");
        }
        response.setHeader("Cache-Control", "no-store");
        response.addHeader("Vary", "Accept-Encoding");
        String accept = request.getHeader("Accept-Encoding");
        boolean gzip = accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("gzip");
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        OutputStream out = gzip ? new GZIPOutputStream(response.getOutputStream(), 8192) : response.getOutputStream();
        JsonGenerator json = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8);
        // Closed only on success: if the body fails before anything was sent, the caller can still
        // reset the response and answer with a problem instead of a cut-off 200.
        body.write(json);
        json.close();
    }

    /**
     * Answers 405 with {@code Allow: GET, HEAD} for any other method: the servlet API's defaults
     * would echo a TRACE and answer OPTIONS with a page of their own.
     *
     * @return whether the request was answered here
     */
    static boolean getOnly(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return false;
        }
        response.setHeader("Allow", "GET, HEAD");
        Problems.write(response, JSON, 405, "METHOD_NOT_ALLOWED", "Method not allowed", method + " is not allowed on "
                + request.getRequestURI() + ": use GET");
        return true;
    }

    /** @return a query parameter as a non-negative whole number, or {@code absent} */
    static int number(HttpServletRequest request, String name, int absent) {
        String text = request.getParameter(name);
        if (text == null || text.isBlank()) {
            return absent;
        }
        String digits = text.strip();
        if (digits.isEmpty() || digits.length() > 1000 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, name + " must be a whole number of 0 or more, not '"
                    + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
        }
        return saturated(new java.math.BigInteger(digits));
    }

    /** @return the number, or the largest int for a larger one: every caller caps it at its own maximum */
    private static int saturated(java.math.BigInteger value) {
        return value.bitLength() < 32 ? value.intValue() : Integer.MAX_VALUE;
    }

    /** @return a JSON field as a non-negative whole number, or {@code absent} */
    static int number(JsonNode body, String name, int absent) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isIntegralNumber() || value.bigIntegerValue().signum() < 0) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, name + " must be a whole number of 0 or more, not " + value);
        }
        return saturated(value.bigIntegerValue());
    }
}
