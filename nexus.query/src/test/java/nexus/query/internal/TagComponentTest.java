package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.TagWrite;

/** The component as DS creates it, before any optional service is bound. */
class TagComponentTest {

    @Test
    void withoutARegistryEveryCallSaysTheRegistryIsNotRunning() {
        QueryEngine engine = new QueryEngine(Limits.DEFAULT, Executors.newCachedThreadPool(QueryComponent.daemon("test-parse")),
                Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("test-timeout")));
        TagComponent tags = new TagComponent(() -> engine);
        String message = "the registry service is not running: see GET /health";

        for (Runnable call : List.<Runnable>of(() -> tags.get(TagPlant.READER, "a/b"), () -> tags.list(TagPlant.READER, "", null, 10),
                () -> tags.read(TagPlant.READER, List.of("a/b")), () -> tags.readIds(TagPlant.READER, new long[] { 1 }), () -> tags.watch(TagPlant.READER, List.of("a/b")),
                () -> tags.write(Caller.of("alice", "test"), new TagWrite("a/b", 1L)))) {
            assertThatThrownBy(call::run).isInstanceOf(NexusException.class).hasMessage(message)
                    .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
        }
        engine.close();
    }
}
