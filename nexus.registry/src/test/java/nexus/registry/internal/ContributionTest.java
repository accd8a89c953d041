package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.HealthStatus;
import nexus.core.NexusException;
import nexus.registry.Contribution;
import nexus.registry.Contribution.ContributedBank;
import nexus.registry.Problem;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.registry.ValidationReport;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.RmaType;
import nexus.rma.internal.RmaBackends;

class ContributionTest {

    @TempDir
    Path dir;

    private ContributionFixture plant;

    @BeforeEach
    void plant() {
        plant = new ContributionFixture(dir);
    }

    @Test
    void aContributionIsServedInANewVersionBesideTheFilesTags() throws Exception {
        RegistryService service = plant.service(false);
        service.poll();

        ValidationReport report = service.contribute(plant.mirror("sparkplug", "mirror_n1"));

        assertThat(report.valid()).as(report.describe()).isTrue();
        Registry version = service.current();
        assertThat(version.version()).isEqualTo(2);
        assertThat(version.index().size()).isEqualTo(12);
        assertThat(version.banks()).extracting(Bank::name).containsExactly("process", "alarms", "mirror_n1");
        assertThat(version.banks().get(2).size()).isEqualTo(64);
        Tag temp = version.tag("sparkplug/n1/temp").orElseThrow();
        assertThat(temp.id()).as("after the file's tags").isGreaterThan(10);
        assertThat(temp.allocation()).isEqualTo(Allocation.of(2, 0, RmaType.FLOAT32));
        assertThat(temp.properties()).containsEntry("node", "n1");
        assertThat(temp.unit()).isEqualTo("degC");
        assertThat(version.tag("sparkplug/n1/running").orElseThrow().allocation()).isEqualTo(Allocation.bool(2, 4, 0));
        assertThat(version.tag("plant1/line1/tt101")).isPresent();
        assertThat(version.bankSource(2)).contains("sparkplug plant/n1");
        assertThat(version.bankSource(0)).isEmpty();
        try (CopyReader sql = new CopyReader(version); var statement = sql.db.createStatement();
                var row = statement.executeQuery("SELECT count(*) FROM tags WHERE bank = 'mirror_n1'")) {
            row.next();
            assertThat(row.getInt(1)).as("users' SQL sees the contributed tags").isEqualTo(2);
        }
        assertThat(service.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(service.health().detail()).startsWith("version 2: 12 tags, 0 alarms from ")
                .contains(", 2 contributed tags from sparkplug");
        assertThat(plant.changes).extracting(Registry::version).containsExactly(1L, 2L);
        service.poll();
        assertThat(plant.changes).as("the file did not change: nothing new").hasSize(2);
        service.close();
    }

    @Test
    void theNodesBackendMustHoldTheFilesBanksOnlyNotTheContributedOnes() {
        RegistryService service = plant.service(false);
        service.poll();
        service.contribute(plant.mirror("sparkplug", "mirror_n1"));
        Registry version = service.current();
        List<Bank> local = List.of(new Bank(0, "process", 1024), new Bank(1, "alarms", 64));

        assertThat(BankFit.fileBanks(version)).extracting(Bank::name).containsExactly("process", "alarms");
        assertThat(BankFit.check(version.version(), BankFit.fileBanks(version), local, "heap").status())
                .isEqualTo(HealthStatus.UP);
        assertThat(BankFit.check(version.version(), BankFit.fileBanks(version), local.subList(0, 1), "heap").status())
                .isEqualTo(HealthStatus.DOWN);
        service.close();
    }

    @Test
    void aNewContributionOfAnOwnerReplacesItsLastOneAndIsBuiltOnTheFileAlone() {
        RegistryService service = plant.service(false);
        service.poll();
        service.contribute(plant.mirror("sparkplug", "mirror_n1"));

        Contribution next = new Contribution("sparkplug", List.of(plant.bank("mirror_n2", 32)), List.of(
                ContributionFixture.tag("sparkplug/n2/level", Allocation.of(0, 0, RmaType.INT32), Map.of())));
        assertThat(service.contribute(next).valid()).isTrue();

        Registry version = service.current();
        assertThat(version.version()).isEqualTo(3);
        assertThat(version.banks()).extracting(Bank::name).containsExactly("process", "alarms", "mirror_n2");
        assertThat(version.tag("sparkplug/n1/temp")).isEmpty();
        assertThat(version.tag("sparkplug/n2/level").orElseThrow().allocation().bank()).isEqualTo(2);
        assertThat(version.index().size()).isEqualTo(11);
        service.close();
    }

    @Test
    void contributionsAreAppliedInOwnerOrderWhateverTheOrderTheyCame() {
        RegistryService service = plant.service(false);
        service.poll();
        service.contribute(plant.mirror("zeta", "zeta_n1"));
        service.contribute(plant.mirror("alpha", "alpha_n1"));

        Registry version = service.current();
        assertThat(version.banks()).extracting(Bank::name).containsExactly("process", "alarms", "alpha_n1", "zeta_n1");
        assertThat(version.tag("alpha/n1/temp").orElseThrow().id())
                .isLessThan(version.tag("zeta/n1/temp").orElseThrow().id());
        assertThat(service.health().detail()).contains(", 4 contributed tags from alpha, zeta");
        service.close();
    }

    @Test
    void aPathTheFileOrAnEarlierContributionHasIsLeftOutAndReported() {
        RegistryService service = plant.service(false);
        service.poll();
        Contribution clash = new Contribution("sparkplug", List.of(plant.bank("mirror_n1", 64)), List.of(
                ContributionFixture.tag("plant1/line1/tt101", Allocation.of(0, 0, RmaType.FLOAT32), Map.of()),
                ContributionFixture.tag("alpha/n1/temp", Allocation.of(0, 8, RmaType.FLOAT32), Map.of()),
                ContributionFixture.tag("sparkplug/n1/new", Allocation.of(0, 12, RmaType.FLOAT32), Map.of())));
        service.contribute(plant.mirror("alpha", "alpha_n1"));

        ValidationReport report = service.contribute(clash);

        Registry version = service.current();
        assertThat(version.version()).as("the version is served").isEqualTo(3);
        assertThat(version.index().size()).isEqualTo(10 + 2 + 1);
        assertThat(version.tag("plant1/line1/tt101").orElseThrow().allocation().bank()).as("the file's tag").isZero();
        assertThat(version.tag("alpha/n1/temp").orElseThrow().allocation().bank()).as("alpha's tag").isEqualTo(2);
        assertThat(version.tag("sparkplug/n1/new")).isPresent();
        assertThat(report.problems()).extracting(Problem::kind).containsOnly(Problem.Kind.DUPLICATE_PATH);
        assertThat(report.problems()).extracting(Problem::toString).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("plant1/line1/tt101").contains("sparkplug"))
                .anySatisfy(p -> assertThat(p).contains("alpha/n1/temp").contains("sparkplug"));
        service.close();
    }

    @Test
    void aMalformedContributionBuildsNothingAndTheServedVersionStays() {
        RegistryService service = plant.service(false);
        service.poll();
        service.contribute(plant.mirror("sparkplug", "mirror_n1"));
        Registry served = service.current();

        List<ValidationReport> reports = new ArrayList<>();
        reports.add(service.contribute(plant.mirror("other", "process")));
        reports.add(service.contribute(plant.mirror("other", "mirror_n1")));
        reports.add(service.contribute(plant.mirror("other", "Not A Name")));
        reports.add(service.contribute(new Contribution("other", List.of(plant.bank("big", 4096)), List.of())));
        reports.add(service.contribute(new Contribution("other", List.of(new ContributedBank("gone", 8, "x",
                plant.remote, 3)), List.of())));
        reports.add(service.contribute(new Contribution("other", List.of(plant.bank("other_n1", 8)), List.of(
                ContributionFixture.tag("other/x", Allocation.of(1, 0, RmaType.UINT8), Map.of())))));

        assertThat(reports).allSatisfy(r -> assertThat(r.valid()).isFalse());
        assertThat(reports.get(0).problems().get(0).message()).contains("'process' is taken");
        assertThat(reports.get(1).problems().get(0).message()).contains("'mirror_n1' is taken");
        assertThat(reports.get(2).problems().get(0).message()).contains("is not valid");
        assertThat(reports.get(3).problems().get(0).message()).contains("needs 4096 bytes but bank 0 of its memory has 128");
        assertThat(reports.get(4).problems().get(0).message()).contains("has no bank 3");
        assertThat(reports.get(5).problems().get(0).message()).contains("other/x is allocated in bank 1");
        assertThat(service.current()).isSameAs(served);
        assertThat(plant.changes).hasSize(2);
        service.close();
    }

    @Test
    void aContributionTheLoaderFindsInvalidIsNotKept() throws Exception {
        RegistryService service = plant.service(false);
        service.poll();
        service.contribute(plant.mirror("sparkplug", "mirror_n1"));
        Registry served = service.current();
        Contribution overlapping = new Contribution("sparkplug", List.of(plant.bank("mirror_n1", 64)), List.of(
                ContributionFixture.tag("sparkplug/a", Allocation.of(0, 0, RmaType.FLOAT32), Map.of()),
                ContributionFixture.tag("sparkplug/b", Allocation.of(0, 2, RmaType.INT16), Map.of()),
                ContributionFixture.tag("sparkplug/c", Allocation.of(0, 64, RmaType.FLOAT32), Map.of())));

        ValidationReport report = service.contribute(overlapping);

        assertThat(report.problems()).extracting(Problem::kind).contains(Problem.Kind.OVERLAP, Problem.Kind.OUT_OF_BOUNDS);
        assertThat(service.current()).isSameAs(served);
        service.withdraw("nobody");
        plant.replaceWithJsonPlant();
        service.poll();
        assertThat(service.current().tag("sparkplug/n1/temp")).as("the last good contribution stays").isPresent();
        assertThat(service.current().tag("sparkplug/a")).isEmpty();
        service.close();
    }

    @Test
    void aReplacedFileIsLoadedWithTheContributionsAndTheLastGoodCopyHoldsTheFileOnly() throws Exception {
        RegistryService service = plant.service(false);
        service.poll();
        service.contribute(plant.mirror("sparkplug", "mirror_n1"));

        plant.replaceWithJsonPlant();
        service.poll();

        Registry version = service.current();
        assertThat(version.version()).isEqualTo(3);
        assertThat(version.index().size()).isEqualTo(6 + 2);
        assertThat(version.tag("sparkplug/n1/temp")).isPresent();
        assertThat(version.bankSource(version.tag("sparkplug/n1/temp").orElseThrow().allocation().bank()))
                .contains("sparkplug plant/n1");
        assertThat(ContributionFixture.tagsIn(plant.copies.lastGood(plant.db.toString()).orElseThrow()))
                .as("the last good copy is the file's").isEqualTo(6);
        try (var files = java.nio.file.Files.list(plant.copies.folder())) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> !f.startsWith("last-good-")))
                    .as("the served copy and the file's content it was built on; nothing older")
                    .containsExactlyInAnyOrder("v3.db", "v3-file.db");
        }
        service.close();
    }

    @Test
    void aWithdrawnContributionLeavesTheNextVersion() {
        RegistryService service = plant.service(false);
        service.poll();
        service.contribute(plant.mirror("sparkplug", "mirror_n1"));

        service.withdraw("sparkplug");

        Registry version = service.current();
        assertThat(version.version()).isEqualTo(3);
        assertThat(version.index().size()).isEqualTo(10);
        assertThat(version.banks()).hasSize(2);
        assertThat(version.memory(plant.remote)).isSameAs(plant.remote);
        assertThat(service.health().detail()).doesNotContain("contributed");
        service.withdraw("sparkplug");
        assertThat(plant.changes).as("nothing left to withdraw").hasSize(3);
        service.close();
    }

    @Test
    void aFrozenRegistryRefusesContributionsWithConflict() {
        RegistryService service = plant.service(true);
        service.poll();

        assertThatThrownBy(() -> service.contribute(plant.mirror("sparkplug", "mirror_n1")))
                .isInstanceOf(NexusException.class).hasMessageContaining("frozen")
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(service.current().version()).isEqualTo(1);
        service.close();
        assertThatThrownBy(() -> service.contribute(plant.mirror("sparkplug", "mirror_n1")))
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
    }

    @Test
    void aContributionBeforeTheFirstLoadIsServedWithTheFirstVersion() throws Exception {
        RegistryService service = plant.service(false);

        assertThat(service.contribute(plant.mirror("sparkplug", "mirror_n1")).valid()).isTrue();
        service.poll();

        Registry version = service.current();
        assertThat(version.version()).isEqualTo(1);
        assertThat(version.index().size()).isEqualTo(12);
        assertThat(version.bankSource(2)).contains("sparkplug plant/n1");
        assertThat(ContributionFixture.tagsIn(plant.copies.lastGood(plant.db.toString()).orElseThrow())).isEqualTo(10);
        assertThat(plant.changes).hasSize(1);
        service.close();
    }

    @Test
    void aFileTheContributionsDoNotFitIsServedAloneAndHealthSaysWhy() throws Exception {
        RegistryService service = plant.service(false);
        service.poll();
        Contribution later = new Contribution("sparkplug", List.of(plant.bank("mirror_n1", 64)), List.of(
                ContributionFixture.tag("plant1/line9/x", Allocation.of(0, 0, RmaType.FLOAT32), Map.of())));
        service.contribute(later);
        Path next = dir.resolve("next.db");
        java.nio.file.Files.writeString(dir.resolve("taken.csv"), "# bank mirror_n1 8\npath,type,bank\na/b,UINT8,mirror_n1\n");
        assertThat(RegistryAdmin.importList(dir.resolve("taken.csv"), next).valid()).isTrue();
        java.nio.file.Files.move(next, plant.db, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        service.poll();

        Registry version = service.current();
        assertThat(version.version()).isEqualTo(3);
        assertThat(version.tag("a/b")).isPresent();
        assertThat(version.tag("plant1/line9/x")).isEmpty();
        assertThat(service.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(service.health().detail()).contains("the contributions of sparkplug are not served")
                .contains("'mirror_n1' is taken");
        service.close();
    }

    @Test
    void aHundredThousandContributedTagsBuild() {
        RegistryService service = plant.service(false);
        service.poll();
        int count = 100_000;
        List<Tag> tags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tags.add(new Tag(0, "sparkplug/n" + (i / 1000) + "/m" + i, Allocation.of(0, i * 4, RmaType.FLOAT32), null,
                    null, false, null, null, Map.of("metric", Integer.toString(i))));
        }
        Contribution big = new Contribution("sparkplug", List.of(new ContributedBank("mirror_big", count * 4,
                "sparkplug plant/big", RmaBackends.heap(List.of(new Bank(0, "remote", count * 4))), 0)), tags);

        long started = System.nanoTime();
        ValidationReport report = service.contribute(big);
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.println("100,000 contributed tags: version built, validated and served in " + millis + " ms");
        assertThat(report.valid()).as(report.describe()).isTrue();
        assertThat(service.current().index().size()).isEqualTo(10 + count);
        assertThat(service.current().tag("sparkplug/n99/m99999").orElseThrow().properties()).containsEntry("metric", "99999");
        service.close();
    }
}
