package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.security.IssuedToken;
import nexus.security.TokenInfo;

class TokenStoreTest {

    @TempDir
    Path home;

    private final SteppedClock clock = new SteppedClock();

    private Path file() {
        return home.resolve("etc/tokens.json");
    }

    private TokenStore store() {
        return new TokenStore(file(), clock);
    }

    private static IssuedToken create(TokenStore store, String name, String... roles) {
        return store.create(name, new TreeSet<>(List.of(roles)), "alice", info -> { });
    }

    @Test
    void startsEmptyWithoutAFile() {
        TokenStore store = store();

        assertThat(store.count()).isZero();
        assertThat(store.failure()).isEmpty();
        assertThat(Files.exists(file())).isFalse();
    }

    @Test
    void keepsOnlyTheHashAndFindsTheTokenAfterARestart() throws IOException {
        IssuedToken issued = create(store(), "scada", "operator", "viewer");

        String text = Files.readString(file());
        assertThat(text).doesNotContain(issued.secret()).contains(Secrets.sha256Hex(issued.secret()));
        TokenStore restarted = store();
        StoredToken found = restarted.find(issued.secret()).orElseThrow();
        assertThat(found.name()).isEqualTo("scada");
        assertThat(found.roles()).containsExactly("operator", "viewer");
        assertThat(found.createdBy()).isEqualTo("alice");
        assertThat(restarted.list()).extracting(TokenInfo::name).containsExactly("scada");
    }

    @Test
    void tokensAreRecognisableAndCarry256RandomBits() {
        TokenStore store = store();
        String first = create(store, "a", "viewer").secret();
        String second = create(store, "b", "viewer").secret();

        assertThat(first).startsWith("nexus_").hasSize(Secrets.TOKEN_CHARS).isNotEqualTo(second);
        assertThat(Secrets.SECRET_CHARS * 6).isGreaterThanOrEqualTo(256);
        assertThat(Secrets.isBase64Url(first.substring("nexus_".length()))).isTrue();
    }

    @Test
    void createsTheFileForItsOwnerOnly() throws IOException {
        assumeTrue(home.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");

        create(store(), "scada", "operator");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
    }

    @Test
    void replacesTheFileWholeAndLeavesNoTemporaryFile() throws IOException {
        TokenStore store = store();
        create(store, "a", "viewer");
        create(store, "b", "viewer");
        store.revoke("a", info -> { });

        try (Stream<Path> files = Files.list(file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toList())).containsExactly("tokens.json");
        }
        assertThat(store().list()).extracting(TokenInfo::name).containsExactly("b");
    }

    @Test
    void aTokenWhoseIdIsKnownButWhoseSecretIsNotIsRefused() {
        TokenStore store = store();
        String token = create(store, "scada", "operator").secret();
        char last = token.charAt(token.length() - 1);
        String forged = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        String otherId = "nexus_" + "Z".repeat(Secrets.ID_CHARS) + token.substring(6 + Secrets.ID_CHARS);

        assertThat(store.find(forged)).isEmpty();
        assertThat(store.find(otherId)).isEmpty();
        assertThat(store.find(token + "x")).isEmpty();
        assertThat(store.find(token)).isPresent();
    }

    @Test
    void aLineDeletedByHandRevokesTheTokenWithoutARestart() throws IOException {
        TokenStore store = store();
        String scada = create(store, "scada", "operator").secret();
        String grafana = create(store, "grafana", "viewer").secret();
        StoredToken held = store.find(scada).orElseThrow();

        editByHand(text -> text.lines().filter(line -> !line.contains("\"name\":\"scada\""))
                .map(line -> line.contains("\"name\":\"grafana\"") ? line.replaceAll(",$", "") : line)
                .collect(Collectors.joining("\n")).replace("},\n  ]", "}\n  ]"));
        clock.advance(Duration.ofSeconds(1));

        assertThat(store.find(scada)).isEmpty();
        assertThat(store.holds(held)).isFalse();
        assertThat(store.find(grafana)).isPresent();
        assertThat(store.failure()).isEmpty();
    }

    @Test
    void aRoleChangedByHandMeansTheOldRecordNoLongerHolds() throws IOException {
        TokenStore store = store();
        String scada = create(store, "scada", "operator").secret();
        StoredToken held = store.find(scada).orElseThrow();

        editByHand(text -> text.replace("[\"operator\"]", "[\"viewer\"]"));
        clock.advance(Duration.ofSeconds(1));

        assertThat(store.holds(held)).isFalse();
        assertThat(store.find(scada).orElseThrow().roles()).containsExactly("viewer");
    }

    @Test
    void aDamagedFileIsNotTrustedAndNotWrittenOver() throws IOException {
        TokenStore store = store();
        String scada = create(store, "scada", "operator").secret();
        editByHand(text -> text.replace("\"tokens\"", "\"tokens\" oops"));
        byte[] damaged = Files.readAllBytes(file());
        clock.advance(Duration.ofSeconds(1));

        assertThat(store.find(scada)).isEmpty();
        assertThat(store.count()).isZero();
        assertThat(store.failure()).get().asString().contains(file().toString()).contains("not valid JSON");
        assertThatThrownBy(() -> create(store, "other", "viewer"))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE))
                .hasMessageContaining("damaged");
        assertThatThrownBy(() -> store.revoke("scada", info -> { })).hasMessageContaining("damaged");
        assertThatThrownBy(store::list).hasMessageContaining("damaged");
        assertThat(Files.readAllBytes(file())).isEqualTo(damaged);
    }

    @Test
    void aDamagedFileAtStartIsNotTrustedEither() throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "");

        TokenStore store = store();

        assertThat(store.failure()).get().asString().contains("tokens.json").contains("empty");
    }

    @Test
    void aRepairedFileIsTrustedAgain() throws IOException {
        TokenStore store = store();
        String scada = create(store, "scada", "operator").secret();
        String good = Files.readString(file());
        editByHand(text -> "{");
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.find(scada)).isEmpty();

        editByHand(text -> good);
        clock.advance(Duration.ofSeconds(1));

        assertThat(store.find(scada)).isPresent();
        assertThat(store.failure()).isEmpty();
    }

    @Test
    void aFailedAuditBeforeTheMoveChangesNothing() throws IOException {
        TokenStore store = store();
        create(store, "scada", "operator");
        String before = Files.readString(file());

        assertThatThrownBy(() -> store.create("other", new TreeSet<>(Set.of("viewer")), "alice", info -> {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "journal full");
        })).hasMessage("journal full");
        assertThatThrownBy(() -> store.revoke("scada", info -> {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "journal full");
        })).hasMessage("journal full");

        assertThat(Files.readString(file())).isEqualTo(before);
        assertThat(store.list()).extracting(TokenInfo::name).containsExactly("scada");
        try (Stream<Path> files = Files.list(file().getParent())) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void refusesATakenNameAndAnUnknownRevocation() {
        TokenStore store = store();
        create(store, "scada", "operator");

        assertThatThrownBy(() -> create(store, "scada", "viewer")).hasMessageContaining("exists already");
        assertThatThrownBy(() -> store.revoke("nobody", info -> { }))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    private void editByHand(java.util.function.UnaryOperator<String> edit) throws IOException {
        String text = Files.readString(file());
        FileTime before = Files.getLastModifiedTime(file());
        Files.writeString(file(), edit.apply(text), StandardCharsets.UTF_8);
        // an editor on a coarse-grained file system may keep the time: make the change visible
        Files.setLastModifiedTime(file(), FileTime.fromMillis(before.toMillis() + 2000));
    }
}
