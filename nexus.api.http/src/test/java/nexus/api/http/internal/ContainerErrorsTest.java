package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jakarta.servlet.ServletException;

class ContainerErrorsTest {

    @Test
    void aClientGoingAwayIsRecognisedHoweverItIsWrapped() {
        assertThat(ContainerErrors.hungUp(new EOFException())).isTrue();
        assertThat(ContainerErrors.hungUp(new IOException("Broken pipe"))).isTrue();
        assertThat(ContainerErrors.hungUp(new IOException("java.io.IOException: Connection reset by peer"))).isTrue();
        assertThat(ContainerErrors.hungUp(new ClosedChannelException())).isTrue();
        assertThat(ContainerErrors.hungUp(new UncheckedIOException(new IOException("x", new EOFException())))).isTrue();
        assertThat(ContainerErrors.hungUp(new ServletException(new IOException("Broken pipe")))).isTrue();
    }

    @Test
    void otherFailuresAreNoHangUp() {
        assertThat(ContainerErrors.hungUp(new IOException("No space left on device"))).isFalse();
        assertThat(ContainerErrors.hungUp(new IllegalStateException())).isFalse();
        assertThat(ContainerErrors.hungUp(new RuntimeException((String) null))).isFalse();
    }

    @Test
    void whatTheContainerRefusesBecomesAProblemInPlainWords() {
        List<Map<String, Object>> problems = List.of(
                Problems.container(400, "Bad Request"), Problems.container(400, "Bad UTF-8 encoding"),
                Problems.container(400, "Illegal character SPACE=' '"), Problems.container(400, "No Host"),
                Problems.container(400, "org.eclipse.jetty.http.BadMessageException: java.lang.IllegalArgumentException"),
                Problems.container(414, "URI Too Long"), Problems.container(431, null), Problems.container(505, "Unknown Version"),
                Problems.container(500, "java.lang.StackOverflowError"), Problems.container(418, null));

        assertThat(problems).extracting(p -> p.get("code")).containsExactly("INVALID_ARGUMENT", "INVALID_ARGUMENT",
                "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "URI_TOO_LONG", "HEADERS_TOO_LARGE",
                "HTTP_VERSION_NOT_SUPPORTED", "INTERNAL", "INVALID_ARGUMENT");
        assertThat(problems).extracting(p -> p.get("status")).containsExactly(400, 400, 400, 400, 400, 414, 431, 505, 500, 418);
        assertThat(problems).allSatisfy(p -> assertThat((String) p.get("detail")).isNotBlank()
                .doesNotContain("Exception", "Error", "java.", "jetty", "SPACE"));
        assertThat(problems.get(1).get("detail")).isEqualTo("the URI is not valid UTF-8 once its %-escapes are decoded");
        assertThat(problems.get(3).get("detail")).isEqualTo("the request has no Host header: HTTP/1.1 requires one");
    }
}
