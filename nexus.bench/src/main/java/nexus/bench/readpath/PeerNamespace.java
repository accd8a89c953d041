package nexus.bench.readpath;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The peer's tags: N Float variables {@code ns=<index>;s=t00000} … in a namespace of their own, with
 * no browse references (the comparison reads by node id, as the HTTP client reads by SQL). Milo's
 * {@link SubscriptionModel} serves monitored items, so a subscribing client would work too.
 *
 * <p>{@link #step} gives every tag a new value, as the Nexus simulator's step does: a sine of the
 * step count with a phase per tag, so consecutive reads see changed values.
 */
final class PeerNamespace extends ManagedNamespaceWithLifecycle {

    private final SubscriptionModel subscriptions;
    private final List<UaVariableNode> nodes;

    PeerNamespace(OpcUaServer server, int tags) {
        super(server, MiloPeer.NAMESPACE_URI);
        this.subscriptions = new SubscriptionModel(server, this);
        this.nodes = new ArrayList<>(tags);
        getLifecycleManager().addLifecycle(subscriptions);
        getLifecycleManager().addStartupTask(() -> createNodes(tags));
    }

    private void createNodes(int tags) {
        DataValue initial = value(0, 0);
        for (int i = 0; i < tags; i++) {
            String name = MiloPeer.nodeName(i);
            UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(newNodeId(name))
                    .setBrowseName(newQualifiedName(name))
                    .setDisplayName(LocalizedText.english(name))
                    .setDataType(NodeIds.Float)
                    .setAccessLevel(AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_ONLY)
                    .setValue(initial)
                    .build();
            getNodeManager().addNode(node);
            nodes.add(node);
        }
    }

    /** Writes a new value to every tag; called by the peer's writer thread only. */
    void step(long step) {
        DateTime now = DateTime.now();
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).setValue(new DataValue(Variant.of(sample(step, i)), StatusCode.GOOD, now, now));
        }
    }

    int size() {
        return nodes.size();
    }

    static float sample(long step, int tag) {
        return (float) (50 + 40 * Math.sin(step * 0.1 + tag * 0.01));
    }

    private static DataValue value(long step, int tag) {
        DateTime now = DateTime.now();
        return new DataValue(Variant.of(sample(step, tag)), StatusCode.GOOD, now, now);
    }

    @Override
    public void onDataItemsCreated(List<DataItem> items) {
        subscriptions.onDataItemsCreated(items);
    }

    @Override
    public void onDataItemsModified(List<DataItem> items) {
        subscriptions.onDataItemsModified(items);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> items) {
        subscriptions.onDataItemsDeleted(items);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> items) {
        subscriptions.onMonitoringModeChanged(items);
    }
}
