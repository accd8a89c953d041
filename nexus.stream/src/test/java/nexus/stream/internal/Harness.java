package nexus.stream.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.ReadPlan;
import nexus.query.TagSelection;
import nexus.query.TagValue;
import nexus.stream.StreamSession;

/**
 * An engine on the test's thread: time moves when the test says, feeds sample when it says, and
 * requests and sends run when it {@linkplain #settle settles} them. Its query service answers
 * {@code prefix <p>} with the tags under {@code p}, and refuses anything else with QUERY_REJECTED.
 */
final class Harness {

    final FakeTags tags = new FakeTags();
    /** The tag service registered now. */
    volatile nexus.query.TagService service = tags;
    final ManualScheduling scheduling = new ManualScheduling();
    final Dispatcher dispatcher = new Dispatcher(0);
    final ManualTicker ticker = new ManualTicker();
    final AtomicInteger selects = new AtomicInteger();
    /** Makes alarm subscriptions; refuses them unless a test says otherwise. */
    volatile StreamEngine.AlarmOpener alarms = (requestId, id, filter, resume, caller, access, wake) -> {
        throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no alarms in this test");
    };
    /** What every query throws from now on (null: queries work). */
    volatile NexusException queryFailure;
    final StreamEngine engine;

    Harness() {
        this(StreamLimits.DEFAULTS);
    }

    Harness(StreamLimits limits) {
        engine = new StreamEngine(limits, new StreamEngine.Services(() -> service, () -> new PrefixQueries(), () -> null,
                (requestId, id, filter, resume, caller, access, wake) -> alarms.open(requestId, id, filter, resume, caller,
                        access, wake)), scheduling, dispatcher, ticker);
    }

    /** @return a session of a new client, with the client */
    Client connect(String user) {
        RecordingClient client = new RecordingClient(user);
        return new Client(client, engine.open(client));
    }

    /** Runs queued requests and dispatcher turns until nothing is left. */
    void settle() {
        while (scheduling.runRequests() + dispatcher.drain() > 0) {
            // until quiet
        }
    }

    /** Every feed samples once, then everything settles. */
    void sample() {
        scheduling.tick();
        settle();
    }

    /** Time passes by this many ms; housekeeping runs; everything settles. */
    void pass(long millis) {
        ticker.nanos += TimeUnit.MILLISECONDS.toNanos(millis);
        engine.housekeep();
        settle();
    }

    record Client(RecordingClient client, StreamSession session) {
        /** Sends a message as the client. */
        void says(String json) {
            session.receive(json);
        }

        List<JsonNode> take() {
            return client.take();
        }
    }

    final class PrefixQueries implements QueryService {
        @Override
        public TagSelection selectTags(Caller caller, String sql, QueryOptions options) {
            selects.incrementAndGet();
            if (queryFailure != null) {
                throw queryFailure;
            }
            if (!sql.startsWith("prefix ")) {
                throw new NexusException(ErrorCode.QUERY_REJECTED, "only 'prefix <p>' in this test");
            }
            return new TagSelection(tags.under(sql.substring(7)), false, tags.version());
        }

        @Override
        public QueryResult select(Caller caller, String sql, QueryOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ReadPlan explain(Caller caller, String sql, QueryOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<TagValue> read(List<nexus.rma.Allocation> allocations) {
            throw new UnsupportedOperationException();
        }
    }

    /** Periodic tasks run when the test ticks; requests when it settles. */
    static final class ManualScheduling implements Scheduling {
        private final List<Runnable> periodic = new CopyOnWriteArrayList<>();
        private final ArrayDeque<Runnable> requests = new ArrayDeque<>();

        @Override
        public Periodic every(long periodMillis, Runnable task) {
            periodic.add(task);
            return () -> periodic.remove(task);
        }

        @Override
        public Executor requests() {
            return requests::add;
        }

        void tick() {
            periodic.forEach(Runnable::run);
        }

        int periodicTasks() {
            return periodic.size();
        }

        int runRequests() {
            int ran = 0;
            for (Runnable task; (task = requests.poll()) != null; ran++) {
                task.run();
            }
            return ran;
        }
    }

    static final class ManualTicker implements Ticker {
        long nanos = 1_000_000_000L;

        @Override
        public long nanos() {
            return nanos;
        }

        @Override
        public Instant now() {
            return Instant.ofEpochSecond(1_800_000_000L).plusNanos(nanos);
        }
    }
}
