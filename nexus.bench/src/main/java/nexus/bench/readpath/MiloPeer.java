package nexus.bench.readpath;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * The OPC UA side of the read path comparison (nexus.bench/run.sh, suite readpath): an Eclipse Milo 1.1.2 server on
 * loopback, SecurityPolicy None and anonymous (the Nexus node it is compared with runs without TLS
 * too), holding N Float tags in its own namespace whose values a writer thread changes every 500 ms,
 * as the Nexus simulator does, so reads see live values. Lives only in the benchmarks: no product
 * bundle depends on Milo.
 *
 * <p>Run: {@code java -cp nexus.bench/target/benchmarks.jar nexus.bench.readpath.MiloPeer --port 4840 --tags 10000};
 * it prints {@code ready <endpoint URL>} once listening and runs until killed.
 */
public final class MiloPeer implements AutoCloseable {

    /** The namespace of the peer's tags; a reader finds its index by this URI. */
    static final String NAMESPACE_URI = "urn:rma-nexus:bench:milo-peer";

    static final String USAGE = """
            usage: java -cp nexus.bench/target/benchmarks.jar nexus.bench.readpath.MiloPeer [options]
              --port P    the opc.tcp port on 127.0.0.1 (4840)
              --tags N    Float tags ns=2;s=t00000 … (10000)
            """;

    private static final long STEP_MS = 500;

    private final OpcUaServer server;
    private final PeerNamespace namespace;
    private final ScheduledExecutorService writer;
    private final String endpoint;

    private MiloPeer(OpcUaServer server, PeerNamespace namespace, ScheduledExecutorService writer, String endpoint) {
        this.server = server;
        this.namespace = namespace;
        this.writer = writer;
        this.endpoint = endpoint;
    }

    /** The node id's string part of tag {@code index}: {@code t00000}, {@code t00001}, … */
    static String nodeName(int index) {
        return String.format("t%05d", index);
    }

    /**
     * Starts a peer and its writer; returns once it listens.
     *
     * @throws Exception when the port cannot be bound (Milo's cause, unwrapped)
     */
    public static MiloPeer start(int port, int tags) throws Exception {
        String path = "/milo";
        EndpointConfig endpoint = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1")
                .setBindPort(port)
                .setHostname("127.0.0.1")
                .setPath(path)
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                .build();
        UInteger perRead = Unsigned.uint(Math.max(10_000, tags));
        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationName(LocalizedText.english("RMA Nexus benchmark Milo peer"))
                .setApplicationUri("urn:rma-nexus:bench:milo-peer:server")
                .setProductUri("urn:rma-nexus:bench")
                .setEndpoints(Set.of(endpoint))
                // No certificate groups: the only endpoint is SecurityPolicy None.
                .setCertificateManager(new DefaultCertificateManager(new MemoryCertificateQuarantine(), List.of()))
                .setLimits(new OpcUaServerConfigLimits() {
                    @Override
                    public UInteger getMaxNodesPerRead() {
                        return perRead;
                    }
                })
                .build();
        OpcUaServer server = new OpcUaServer(config,
                profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
        PeerNamespace namespace = new PeerNamespace(server, tags);
        namespace.startup();
        try {
            server.startup().get();
        } catch (ExecutionException e) {
            namespace.shutdown();
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "nexus-bench-milo-writer");
            thread.setDaemon(true);
            return thread;
        });
        long[] step = { 0 };
        writer.scheduleAtFixedRate(() -> namespace.step(++step[0]), STEP_MS, STEP_MS, TimeUnit.MILLISECONDS);
        return new MiloPeer(server, namespace, writer, endpoint.getEndpointUrl());
    }

    /** The URL a client connects to: {@code opc.tcp://127.0.0.1:<port>/milo}. */
    public String endpoint() {
        return endpoint;
    }

    int tags() {
        return namespace.size();
    }

    @Override
    public void close() throws Exception {
        writer.shutdownNow();
        writer.awaitTermination(5, TimeUnit.SECONDS);
        namespace.shutdown();
        server.shutdown().get(10, TimeUnit.SECONDS);
    }

    public static void main(String[] args) throws Exception {
        int port = 4840;
        int tags = 10_000;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = number(args, i++, 1);
                    case "--tags" -> tags = number(args, i++, 1);
                    case "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("milo peer: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        MiloPeer peer = start(port, tags);
        System.out.println("ready " + peer.endpoint() + " tags=" + peer.tags());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static int number(String[] args, int i, int least) {
        String text = i + 1 < args.length ? args[i + 1] : "";
        String wrong = args[i] + " '" + text + "' is not a whole number of at least " + least;
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(wrong, e);
        }
        if (value < least) {
            throw new IllegalArgumentException(wrong);
        }
        return value;
    }
}
