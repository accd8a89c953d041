package nexus.bench.readpath;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

/**
 * Milo's OPC UA client reading the Value attribute of every tag of a {@link MiloPeer} in one Read
 * service call (SecurityPolicy None, anonymous, one session). Milo decodes each DataValue into Java
 * objects before {@link #read} sees it; this reader then checks each is Good and holds a Float, so it
 * does at least what the HTTP reader does with its answer.
 */
final class OpcUaReader implements Reader {

    private final OpcUaClient client;
    private final List<ReadValueId> values;

    private OpcUaReader(OpcUaClient client, List<ReadValueId> values) {
        this.client = client;
        this.values = values;
    }

    /**
     * Connects and opens a session; the peer's namespace index is looked up by its URI.
     *
     * @param endpoint the peer's endpoint URL, as {@link MiloPeer} prints it
     * @param tags     the first {@code tags} tags are read by each {@link #read}
     * @throws UaException           when the endpoint does not answer
     * @throws IllegalStateException when it has no namespace {@link MiloPeer#NAMESPACE_URI}
     */
    static OpcUaReader connect(String endpoint, int tags) throws UaException {
        OpcUaClient client = OpcUaClient.create(endpoint);
        try {
            client.connect();
            UShort namespace = client.readNamespaceTable().getIndex(MiloPeer.NAMESPACE_URI);
            if (namespace == null) {
                throw new IllegalStateException(endpoint + " has no namespace " + MiloPeer.NAMESPACE_URI
                        + ": is it a MiloPeer?");
            }
            List<ReadValueId> values = new ArrayList<>(tags);
            for (int i = 0; i < tags; i++) {
                values.add(new ReadValueId(new NodeId(namespace, MiloPeer.nodeName(i)), AttributeId.Value.uid(), null,
                        QualifiedName.NULL_VALUE));
            }
            return new OpcUaReader(client, List.copyOf(values));
        } catch (UaException | RuntimeException e) {
            try {
                client.disconnect();
            } catch (UaException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** @return the number of Good Float values read, always every tag asked for */
    @Override
    public int read() throws UaException {
        List<DataValue> results = readValues();
        for (int i = 0; i < results.size(); i++) {
            DataValue result = results.get(i);
            if (!result.getStatusCode().isGood() || !(result.getValue().getValue() instanceof Float)) {
                throw new IllegalStateException(values.get(i).getNodeId() + " answered " + result.getStatusCode()
                        + " with " + result.getValue() + ", not a Good Float");
            }
        }
        return results.size();
    }

    /** One Read of every tag's value, as Milo decoded it, unchecked. */
    List<DataValue> readValues() throws UaException {
        ReadResponse response = client.read(0.0, TimestampsToReturn.Both, values);
        DataValue[] results = response.getResults();
        if (results == null || results.length != values.size()) {
            throw new IllegalStateException("asked " + values.size() + " values, received "
                    + (results == null ? 0 : results.length));
        }
        return List.of(results);
    }

    @Override
    public void close() throws UaException {
        client.disconnect();
    }
}
