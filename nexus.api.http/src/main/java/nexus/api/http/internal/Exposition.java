package nexus.api.http.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.MetricsSource;

/**
 * What {@code GET /metrics} answers: one {@link Scrape} of the sources written by
 * {@link PrometheusText}. What a scrape leaves out is logged once as a warning per source and
 * family, and at DEBUG on later scrapes (a broken source would otherwise fill the log every 15 s).
 * Thread-safe: scrapes may run at once.
 */
final class Exposition {

    private static final Logger LOG = LoggerFactory.getLogger(Exposition.class);

    /** Refusals already logged as warnings: one per source and family. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** The length of the last scrape's text, to reserve room for the next one. */
    private volatile int lastLength = 16_384;

    /** @return one scrape of the sources in the text format, UTF-8 */
    byte[] render(List<MetricsSource> sources) {
        Scrape scrape = new Scrape();
        for (MetricsSource source : sources) {
            scrape.ask(source);
        }
        for (Scrape.Refusal refusal : scrape.refused()) {
            log(refusal);
        }
        byte[] text = PrometheusText.render(scrape.families(), lastLength + lastLength / 8);
        lastLength = text.length;
        return text;
    }

    private void log(Scrape.Refusal refusal) {
        String what = refusal.family() == null ? "every metric family" : "metric family " + refusal.family();
        if (warned.add(refusal.key())) {
            LOG.warn("/metrics leaves out {} of {}: {} (logged once; DEBUG shows every scrape)", what, refusal.source(),
                    refusal.reason(), refusal.failure());
        } else {
            LOG.debug("/metrics leaves out {} of {}: {}", what, refusal.source(), refusal.reason());
        }
    }
}
