package nexus.shell.internal;

import java.util.ArrayList;
import java.util.List;

import nexus.stream.StreamInfo;
import nexus.stream.StreamInfo.SubscriptionInfo;

/**
 * Renders open streams for the console: one line per stream and, indented under it, its
 * subscriptions. The subscription columns are as wide for every stream, so they line up down the
 * whole list.
 */
final class StreamText {

    private static final int WIDEST = 48;
    private static final String INDENT = "    ";
    private static final List<String> STREAM = List.of("id", "user", "transport", "remote", "opened", "pending bytes",
            "messages", "overflows");
    private static final List<String> SUBSCRIPTION = List.of("subscription", "kind", "target", "items", "queued", "seq",
            "overflows");

    private StreamText() {
    }

    static String table(List<StreamInfo> streams) {
        if (streams.isEmpty()) {
            return "no open streams\n";
        }
        List<List<String>> streamRows = new ArrayList<>();
        List<List<String>> subscriptionRows = new ArrayList<>();
        for (StreamInfo s : streams) {
            streamRows.add(List.of(s.id(), s.user(), s.transport(), s.remote(), TextTable.time(s.opened()),
                    Long.toString(s.pendingBytes()), Long.toString(s.messages()), Long.toString(s.overflows())));
            for (SubscriptionInfo sub : s.subscriptions()) {
                subscriptionRows.add(List.of(sub.id(), sub.kind(), sub.target(), Integer.toString(sub.items()),
                        Integer.toString(sub.queued()), Long.toString(sub.sequence()), Long.toString(sub.overflows())));
            }
        }
        List<String> streamLines = TextTable.lines(STREAM, streamRows, WIDEST);
        List<String> subscriptionLines = TextTable.lines(SUBSCRIPTION, subscriptionRows, WIDEST);
        StringBuilder out = new StringBuilder(streamLines.get(0)).append('\n');
        int next = 1;
        for (int i = 0; i < streams.size(); i++) {
            out.append(streamLines.get(i + 1)).append('\n');
            int count = streams.get(i).subscriptions().size();
            if (count == 0) {
                out.append(INDENT).append("no subscriptions\n");
                continue;
            }
            out.append(INDENT).append(subscriptionLines.get(0)).append('\n');
            for (int k = 0; k < count; k++) {
                out.append(INDENT).append(subscriptionLines.get(next++)).append('\n');
            }
        }
        out.append(streams.size()).append(streams.size() == 1 ? " stream, " : " streams, ")
                .append(subscriptionRows.size()).append(subscriptionRows.size() == 1 ? " subscription" : " subscriptions")
                .append('\n');
        return out.toString();
    }
}
