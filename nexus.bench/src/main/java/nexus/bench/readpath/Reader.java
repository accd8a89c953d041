package nexus.bench.readpath;

/**
 * One client's connection to the server under test, reading one kind of answer and decoding all of
 * it. Not thread-safe: each client thread owns one.
 */
interface Reader extends AutoCloseable {

    /**
     * One operation: one request, its whole answer received, decoded and checked.
     *
     * @return the values the answer held (read as numbers or, for a query, rows)
     * @throws Exception when the request fails or the answer is not what was asked for (wrong count,
     *                   bad quality from the OPC UA peer, a status other than 200): a run stops on it
     */
    int read() throws Exception;

    @Override
    void close() throws Exception;

    /** The reader for a run's options: each call opens its own connection(s). */
    static Reader open(ReadOptions options) throws Exception {
        return switch (options.kind()) {
            case OPCUA -> OpcUaReader.connect(options.url().toString(), options.tags());
            case HTTP_QUERY, GET -> new HttpReader(options);
        };
    }
}
