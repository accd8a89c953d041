package nexus.security.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Type;

/** The authentication figures since start, and how {@code /metrics} shows them. Thread-safe. */
final class AuthCounters {

    private final Map<AuthFailure, LongAdder> failures = new EnumMap<>(AuthFailure.class);
    private final LongAdder throttled = new LongAdder();
    private final LongAdder ticketsIssued = new LongAdder();
    private final LongAdder ticketsRefused = new LongAdder();

    AuthCounters() {
        for (AuthFailure failure : AuthFailure.values()) {
            failures.put(failure, new LongAdder());
        }
    }

    void failed(AuthFailure failure) {
        failures.get(failure).increment();
        if (failure == AuthFailure.TICKET_REFUSED) {
            ticketsRefused.increment();
        }
    }

    void throttled() {
        throttled.increment();
    }

    void ticketIssued() {
        ticketsIssued.increment();
    }

    long failures(AuthFailure failure) {
        return failures.get(failure).sum();
    }

    long throttledCount() {
        return throttled.sum();
    }

    /** @return the metric families, every failure reason listed (at 0 too) so that rates can be taken */
    List<MetricFamily> families(int tokens) {
        List<MetricFamily.Sample> byReason = new ArrayList<>(failures.size());
        failures.forEach((failure, count) -> byReason.add(MetricFamily.Sample.of(Map.of("reason", failure.label()), count.sum())));
        return List.of(
                new MetricFamily("nexus_auth_failures_total", Type.COUNTER,
                        "Failed authentications since start, by reason.", byReason),
                MetricFamily.single("nexus_auth_throttled_total", Type.COUNTER,
                        "Requests refused unread because their address failed to authenticate too often lately.",
                        throttled.sum()),
                MetricFamily.single("nexus_auth_tokens", Type.GAUGE, "API tokens in the token store.", tokens),
                MetricFamily.single("nexus_auth_tickets_issued_total", Type.COUNTER, "Stream tickets issued since start.",
                        ticketsIssued.sum()),
                MetricFamily.single("nexus_auth_tickets_refused_total", Type.COUNTER,
                        "Stream tickets refused since start: unknown, used, expired, another identity's or no longer current.",
                        ticketsRefused.sum()));
    }
}
