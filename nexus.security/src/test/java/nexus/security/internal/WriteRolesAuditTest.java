package nexus.security.internal;

import static nexus.security.internal.ListRegistry.tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import nexus.core.AuditRecord;
import nexus.registry.Tag;

class WriteRolesAuditTest {

    private final WriteRolesAudit audit = new WriteRolesAudit();
    private final MemoryAuditTrail trail = new MemoryAuditTrail();

    @Test
    void auditsAVersionThatChangesWhoMayWriteWhatNamingTheTagsAndRoles() {
        audit.audit = trail;
        audit.seen(new ListRegistry(1, List.of(tag("a/fixed", false), tag("a/open", true), tag("a/sp", true, "operator"),
                tag("a/valve", true))));

        audit.seen(new ListRegistry(2, List.of(tag("a/fixed", true, "engineer"), tag("a/open", true),
                tag("a/sp", true, "engineer", "operator"), tag("a/valve", false), tag("b/new", true))));

        assertThat(trail.records()).singleElement().satisfies(record -> {
            assertThat(record.target()).isEqualTo(AuditRecord.Target.REGISTRY);
            assertThat(record.name()).isEqualTo("2");
            assertThat(record.action()).isEqualTo("write-roles");
            assertThat(record.before()).isEqualTo(1L);
            assertThat(record.after()).isEqualTo(2L);
            assertThat(record.caller().user()).isEqualTo("nexus");
            assertThat(record.caller().source()).isEqualTo("registry etc/registry.db");
            assertThat(record.detail()).isEqualTo("registry version 2 (etc/registry.db) changes who may write 4 tags"
                    + " since version 1: a/fixed: writable, write_roles engineer; a/sp: write_roles operator ->"
                    + " engineer, operator; a/valve: no longer writable (write_roles were none (any role that may"
                    + " write)); b/new: writable, write_roles none (any role that may write)");
        });
    }

    @Test
    void auditsNothingForAVersionWithTheSameTagWriteRoles() {
        audit.audit = trail;
        audit.seen(new ListRegistry(1, List.of(tag("a/sp", true, "operator"), tag("a/pv", false))));

        audit.seen(new ListRegistry(2, List.of(tag("a/sp", true, "operator"), tag("a/pv", false, "engineer"),
                tag("a/other", false))));

        assertThat(trail.records()).isEmpty();
    }

    @Test
    void ignoresAVersionNotNewerThanTheLastOneRead() {
        audit.audit = trail;
        audit.seen(new ListRegistry(5, List.of(tag("a/sp", true))));

        audit.seen(new ListRegistry(4, List.of()));

        assertThat(trail.records()).isEmpty();
    }

    @Test
    void listsTheFirstFiftyChangedTagsAndCountsTheRest() {
        audit.audit = trail;
        audit.seen(new ListRegistry(1, List.of()));
        List<Tag> many = new ArrayList<>();
        IntStream.range(0, 2345).forEach(i -> many.add(tag(String.format("plant/t%05d", i), true)));
        ListRegistry large = new ListRegistry(2, many);

        audit.seen(large);

        String detail = trail.records().get(0).detail();
        assertThat(detail).startsWith("registry version 2 (etc/registry.db) changes who may write 2345 tags since"
                + " version 1: plant/t00000: writable").contains("plant/t00049: writable")
                .doesNotContain("plant/t00050").endsWith("; and 2295 more");
        assertThat(large.pagesRead).isEqualTo(3);
    }

    @Test
    void comparesFromTheVersionServedWhenItStartsOnItsOwnThread() throws Exception {
        audit.audit = trail;
        ListRegistry first = new ListRegistry(7, List.of(tag("a/sp", true)));
        audit.registry = new ServedRegistry(first);
        audit.activate();

        audit.registryChanged(new ListRegistry(8, List.of(tag("a/sp", true, "engineer"))));

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (trail.records().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        audit.deactivate();
        assertThat(trail.records()).singleElement().extracting(AuditRecord::detail).asString()
                .endsWith("since version 7: a/sp: write_roles none (any role that may write) -> engineer");
    }
}
