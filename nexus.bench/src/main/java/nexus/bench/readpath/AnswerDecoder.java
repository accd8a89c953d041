package nexus.bench.readpath;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

/**
 * Decodes a node's answers the way a client that uses them must (docs/query.md "Formats"): every
 * token of the body is parsed, every number read as a number ({@link JsonParser#getDoubleValue}), every
 * text as a String, so the client side costs what Milo's client pays to decode each DataValue. A load
 * tool that counts bytes and throws them away would flatter HTTP. Streaming parsers, no tree: the
 * decoding should cost what a careful client pays, not what a convenient one does.
 *
 * <p>Thread-safe: the factories are shared, each call has its own parser.
 */
final class AnswerDecoder {

    /**
     * What one answer held.
     *
     * @param rows    rows of a query answer; 1 for a single tag
     * @param numbers cells and values read as numbers
     * @param bad     values whose quality is not {@code GOOD}
     */
    record Decoded(int rows, int numbers, int bad) {
    }

    /** Jackson's fast double parser, as a careful client would enable: numbers are most of the decoding. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final CBORFactory CBOR = new CBORFactory();

    private AnswerDecoder() {
    }

    /**
     * @param format {@code rows}, {@code columns} or {@code cbor} (the rows shape in CBOR)
     * @throws IOException when the body is not a well-formed answer of that format
     */
    static Decoded query(String format, byte[] body) throws IOException {
        return switch (format) {
            case "rows" -> rows(JSON.createParser(body));
            case "cbor" -> rows(CBOR.createParser(body));
            case "columns" -> columns(JSON.createParser(body));
            default -> throw new IllegalArgumentException("no decoder for format '" + format + "'");
        };
    }

    /** A single tag's answer ({@code GET /api/v1/tags/{path}}): one object, decoded to its last token. */
    static Decoded tag(byte[] body) throws IOException {
        try (JsonParser parser = JSON.createParser(body)) {
            expect(parser, JsonToken.START_OBJECT);
            Counter counter = new Counter();
            counter.object(parser);
            end(parser);
            return new Decoded(1, counter.numbers, counter.bad);
        }
    }

    /** {@code {"columns":[…],"rows":[{"id":1,…,"value":…,"quality":"GOOD","ts":"…"},…],…}} */
    private static Decoded rows(JsonParser parser) throws IOException {
        try (parser) {
            expect(parser, JsonToken.START_OBJECT);
            Counter counter = new Counter();
            int rows = 0;
            boolean sawRows = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (name.equals("rows") && token == JsonToken.START_ARRAY) {
                    sawRows = true;
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        rows++;
                        counter.object(parser);
                    }
                } else {
                    counter.value(name, token, parser);
                }
            }
            end(parser);
            if (!sawRows) {
                throw new IOException("the answer has no rows array: is it a query answer in the rows shape?");
            }
            return new Decoded(rows, counter.numbers, counter.bad);
        }
    }

    /** {@code {"columns":[…],"data":{"id":[…],…},"live":{"value":[…],"quality":[…],…},…}} */
    private static Decoded columns(JsonParser parser) throws IOException {
        try (parser) {
            expect(parser, JsonToken.START_OBJECT);
            Counter counter = new Counter();
            int rows = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if ((name.equals("data") || name.equals("live")) && token == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String column = parser.currentName();
                        expect(parser, JsonToken.START_ARRAY);
                        int cells = counter.array(column, parser);
                        if (name.equals("data")) {
                            rows = Math.max(rows, cells);
                        }
                    }
                } else {
                    counter.value(name, token, parser);
                }
            }
            end(parser);
            if (rows < 0) {
                throw new IOException("the answer has no data object: is it a query answer in the columns shape?");
            }
            return new Decoded(rows, counter.numbers, counter.bad);
        }
    }

    private static void expect(JsonParser parser, JsonToken expected) throws IOException {
        JsonToken token = parser.nextToken();
        if (token != expected) {
            throw new IOException("expected " + expected + " but found " + token + " at " + parser.currentLocation());
        }
    }

    private static void end(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token != null) {
            throw new IOException("the answer goes on after its end: " + token + " at " + parser.currentLocation());
        }
    }

    /** Reads every value it is shown, counting numbers and qualities other than GOOD. */
    private static final class Counter {
        int numbers;
        int bad;
        /** Every value read lands here, so no read is dead code the JIT may drop. */
        private double sink;

        /** From after an object's START_OBJECT to its END_OBJECT. */
        void object(JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                value(name, parser.nextToken(), parser);
            }
        }

        /** From after an array's START_ARRAY to its END_ARRAY; the cells count. */
        int array(String name, JsonParser parser) throws IOException {
            int cells = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new IOException("the answer ends inside the array " + name);
                }
                cells++;
                value(name, token, parser);
            }
            return cells;
        }

        void value(String name, JsonToken token, JsonParser parser) throws IOException {
            switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    sink += parser.getDoubleValue();
                    numbers++;
                }
                case VALUE_STRING -> {
                    String text = parser.getText();
                    if (name.equals("quality") && !text.equals("GOOD")) {
                        bad++;
                    }
                }
                case VALUE_TRUE, VALUE_FALSE -> sink += parser.getBooleanValue() ? 1 : 0;
                case START_OBJECT -> object(parser);
                case START_ARRAY -> array(name, parser);
                case VALUE_NULL, VALUE_EMBEDDED_OBJECT -> {
                    // A null cell, or CBOR bytes (a blob column): nothing more to decode.
                }
                default -> throw new IOException("unexpected " + token + " at " + parser.currentLocation());
            }
        }
    }
}
