package nexus.bench.readpath;

import static nexus.bench.Arguments.number;
import static nexus.bench.Arguments.value;

import java.net.URI;
import java.util.Locale;

/**
 * What one {@link ReadClient} run measures, from its command line: exactly one of {@code --opcua},
 * {@code --http} or {@code --get} names the server and the kind of read; every other option has a
 * default. {@link #parse} says plainly what was wrong with an argument.
 *
 * @param kind    the kind of read
 * @param url     the OPC UA endpoint, the node's base address ({@code http://host:port}) or the tag's address
 * @param tags    values per read: node ids read by one OPC UA Read, the {@code limit} sent with a query and
 *                the rows it must answer; 1 for {@link Kind#GET}
 * @param sql     the query's SELECT ({@link Kind#HTTP_QUERY} only, else {@code null})
 * @param format  the query answer's format: {@code rows}, {@code columns} or {@code cbor}
 * @param token   an API token sent as {@code Authorization: Bearer}, or {@code null}
 * @param clients threads, each with its own connection
 * @param warmup  seconds of reads before the measurement, not measured
 * @param seconds seconds measured
 */
record ReadOptions(Kind kind, URI url, int tags, String sql, String format, String token, int clients, int warmup,
        int seconds) {

    /** The kinds of read, by the name the report line gives them. */
    enum Kind {
        /** One OPC UA Read service call of every node's Value attribute, through Milo's client. */
        OPCUA("opcua"),
        /** One {@code POST /api/v1/query}. */
        HTTP_QUERY("http-query"),
        /** One {@code GET} of a single tag. */
        GET("http-get");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    static final String DEFAULT_SQL = "SELECT id FROM tags LIMIT 10000";

    static final String USAGE = """
            usage: java -cp nexus.bench/target/benchmarks.jar nexus.bench.readpath.ReadClient <server> [options]
              server, exactly one of:
              --opcua URL        an OPC UA endpoint (opc.tcp://127.0.0.1:4840/milo): one Read of all --tags node ids
              --http URL         a node (http://127.0.0.1:8080): POST /api/v1/query with --sql and limit --tags
              --get URL          one tag's address (http://127.0.0.1:8080/api/v1/tags/site1/area1/line1/tank2/level)
              options:
              --tags N           values per read: node ids per Read, the query's limit and the rows it must answer (10000)
              --sql SELECT       the query (SELECT id FROM tags LIMIT 10000)
              --format F         the query answer's format: rows, columns or cbor (rows)
              --token TOKEN      an API token, sent as Authorization: Bearer (none)
              --clients C        threads, each with its own connection (1)
              --warmup S         seconds of reads before the measurement (5)
              --seconds S        seconds measured (10)
            """;

    /**
     * @throws IllegalArgumentException saying which argument is wrong and what it should be
     */
    static ReadOptions parse(String... args) {
        Kind kind = null;
        URI url = null;
        int tags = 10_000;
        String sql = null;
        String format = "rows";
        String token = null;
        int clients = 1;
        int warmup = 5;
        int seconds = 10;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--opcua", "--http", "--get" -> {
                    if (kind != null) {
                        throw new IllegalArgumentException("give one of --opcua, --http or --get, not two");
                    }
                    kind = switch (option) {
                        case "--opcua" -> Kind.OPCUA;
                        case "--http" -> Kind.HTTP_QUERY;
                        default -> Kind.GET;
                    };
                    url = url(option, value(args, i++), kind == Kind.OPCUA ? "opc.tcp://" : "http://");
                }
                case "--tags" -> tags = number(option, value(args, i++), 1);
                case "--sql" -> sql = value(args, i++);
                case "--format" -> format = format(value(args, i++));
                case "--token" -> token = value(args, i++);
                case "--clients" -> clients = number(option, value(args, i++), 1);
                case "--warmup" -> warmup = number(option, value(args, i++), 0);
                case "--seconds" -> seconds = number(option, value(args, i++), 1);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("name the server: --opcua URL, --http URL or --get URL");
        }
        if (kind != Kind.HTTP_QUERY && (sql != null || !format.equals("rows"))) {
            throw new IllegalArgumentException("--sql and --format are for --http (a query): leave them out with "
                    + (kind == Kind.OPCUA ? "--opcua" : "--get"));
        }
        if (kind == Kind.OPCUA && token != null) {
            throw new IllegalArgumentException("--token is for --http and --get: the OPC UA peer is anonymous");
        }
        return new ReadOptions(kind, url, kind == Kind.GET ? 1 : tags, kind == Kind.HTTP_QUERY && sql == null
                ? DEFAULT_SQL : sql, format, token, clients, warmup, seconds);
    }

    private static String format(String text) {
        return switch (text) {
            case "rows", "columns", "cbor" -> text;
            default -> throw new IllegalArgumentException("--format '" + text + "' is not rows, columns or cbor");
        };
    }

    private static URI url(String option, String text, String scheme) {
        if (!text.toLowerCase(Locale.ROOT).startsWith(scheme)) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a " + scheme + " address");
        }
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not an address: " + e.getMessage(), e);
        }
    }
}
