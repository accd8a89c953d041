package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.stream.StreamClient;
import nexus.stream.StreamInfo;
import nexus.stream.StreamInfo.SubscriptionInfo;
import nexus.stream.StreamService;
import nexus.stream.StreamSession;

class StreamCommandsTest {

    /** Answers the streams it is given; the console never opens one. */
    static final class ListedStreams implements StreamService {
        final List<StreamInfo> open = new ArrayList<>();

        @Override
        public StreamSession open(StreamClient client) {
            throw new UnsupportedOperationException("the console only lists streams");
        }

        @Override
        public List<StreamInfo> streams() {
            return List.copyOf(open);
        }
    }

    private final ListedStreams service = new ListedStreams();
    private final StreamCommands commands = new StreamCommands(service);

    @Test
    void listsEachStreamWithItsSubscriptionsUnderIt() {
        service.open.add(new StreamInfo("c1", "alice", "websocket", "127.0.0.1:50312", Instant.parse("2026-12-06T15:04:17.120Z"),
                2048, 1234, 3, List.of(
                        new SubscriptionInfo("s1", "tags", "SELECT id FROM tags WHERE unit = ?", 1000, 12, 77, 3),
                        new SubscriptionInfo("s2", "alarms", "states UNACK_ALARM, severities HIGH", 9, 0, 5, 0))));
        service.open.add(new StreamInfo("c2", "bob", "sse", "10.0.0.7:41000", Instant.parse("2026-12-06T15:10:00Z"),
                0, 1, 0, List.of()));
        service.open.add(new StreamInfo("c3", "carol", "websocket", "10.0.0.8:41002", Instant.parse("2026-12-06T15:11:00Z"),
                0, 8, 0, List.of(new SubscriptionInfo("s1", "tags", "2 paths", 2, 0, 8, 0))));

        assertThat(commands.streams()).isEqualTo("""
                id  user   transport  remote           opened                pending bytes  messages  overflows
                c1  alice  websocket  127.0.0.1:50312  2026-12-06 15:04:17Z  2048           1234      3
                    subscription  kind    target                               items  queued  seq  overflows
                    s1            tags    SELECT id FROM tags WHERE unit = ?   1000   12      77   3
                    s2            alarms  states UNACK_ALARM, severities HIGH  9      0       5    0
                c2  bob    sse        10.0.0.7:41000   2026-12-06 15:10:00Z  0              1         0
                    no subscriptions
                c3  carol  websocket  10.0.0.8:41002   2026-12-06 15:11:00Z  0              8         0
                    subscription  kind    target                               items  queued  seq  overflows
                    s1            tags    2 paths                              2      0       8    0
                3 streams, 3 subscriptions
                """);
    }

    @Test
    void cutsALongQueryToTheColumnsWidth() {
        String sql = "SELECT id FROM tags WHERE path LIKE 'site1/area1/%' AND unit = 'degC' AND eng_high > 100";
        service.open.add(new StreamInfo("c1", "alice", "websocket", "127.0.0.1:50312", Instant.parse("2026-12-06T15:04:17Z"),
                0, 1, 0, List.of(new SubscriptionInfo("s1", "tags", sql, 40, 0, 1, 0))));

        assertThat(commands.streams()).contains("    s1            tags  " + sql.substring(0, 47) + "…  40")
                .endsWith("1 stream, 1 subscription\n");
    }

    @Test
    void saysWhenNoStreamIsOpen() {
        assertThat(commands.streams()).isEqualTo("no open streams\n");
    }

    @Test
    void saysWhenTheStreamServiceIsNotRunning() {
        assertThatThrownBy(() -> new StreamCommands(null).streams())
                .hasMessage("the stream service is not running: see nexus:health")
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
    }

    @Test
    void helpListsTheCommand() {
        Map<String, List<String>> usage = CommandUsage.of(List.of(
                new CommandUsage.Commands(new StreamCommands(), List.of("streams"))));

        assertThat(usage.get("streams")).singleElement().asString().startsWith("streams\n      list the open streams");
    }
}
