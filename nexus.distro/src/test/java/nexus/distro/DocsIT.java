package nexus.distro;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The documentation's examples, run as written against a real node, so that they cannot drift from
 * the product: every {@code $ curl …}, {@code $ python3 tools/rma.py …} and {@code $ ./nexus registry …}
 * line and every {@code nexus> …} console line in a fenced block of README.md, the bundles' READMEs and
 * docs/*.md.
 *
 * <p>What "runs" means: the command is understood — the route, method, body and arguments are right.
 * An HTTP example must not answer 400, 404, 405, 415 or 5xx unless its documented output is such a
 * problem; a console example must not answer "wrong arguments", "Command not found" or another
 * error unless its documented output is an error; a shell example must exit 0. A domain refusal
 * (an alarm action the alarm's state does not allow at this moment: 409, CONFLICT) counts as
 * understood.
 *
 * <p>Only these stand-ins are made, and they are the docs' own conventions: {@code localhost:8080}
 * is this node's port, {@code run/} its home folder, {@code /path/to/} the examples folder. The node
 * runs the mmap backend, as the examples of tools/rma.py assume.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DocsIT extends NexusIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern HTTP_STATUS = Pattern.compile("\\n(\\d{3})$");

    /** One example: where it is, the command, and the output the doc shows for it. */
    record Example(String where, String command, String shown) {
        boolean console() {
            return command.startsWith("nexus> ");
        }
    }

    @Test
    public void everyDocumentedExampleRunsAsWritten() throws Exception {
        Files.writeString(etc().resolve("nexus.rma.cfg"), "backend = mmap\nmmap.file = data/rma.mmap\nbanks = process:64k, alarms:8k\n");
        Await.until("the mmap backend serves", () -> health().path("components").path("rma").path("detail").asText()
                .startsWith("backend mmap"));
        Await.until("the registry serves", () -> health().path("components").path("registry").path("status").asText()
                .equals("UP"));
        List<Example> examples = examples();
        assertTrue("the docs have examples", examples.size() > 15);
        List<String> failures = new ArrayList<>();
        for (Example example : examples) {
            String problem = example.console() ? console(example) : shellLine(example);
            if (problem != null) {
                failures.add(example.where() + ": " + example.command() + "\n    " + problem);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + examples.size() + " documented examples do not run as written:\n"
                    + String.join("\n", failures));
        }
    }

    private String console(Example example) throws Exception {
        String command = substitute(example.command().substring("nexus> ".length()));
        command = command.replaceAll("\\s+#.*$", "");
        String output;
        try {
            output = shell(command);
        } catch (nexus.core.NexusException e) {
            if (e.code() == nexus.core.ErrorCode.CONFLICT) {
                return null; // understood; the alarm's state at this moment does not allow it
            }
            output = "error: " + e.code() + " " + e.getMessage();
        } catch (Exception e) {
            output = "error: " + e.getMessage();
        }
        boolean error = output.startsWith("error:") || output.contains("Command not found") || output.contains("Cannot coerce");
        if (error && !example.shown().startsWith("error:")) {
            return "answered " + firstLine(output);
        }
        return null;
    }

    private String shellLine(Example example) throws Exception {
        String command = substitute(example.command().substring(2)).replaceAll("\\s+#[^'\"]*$", "");
        boolean curl = command.startsWith("curl ");
        if (curl) {
            command = command.replaceFirst("^curl ", "curl -w '\\\\n%{http_code}' ");
        }
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("NEXUS_LAUNCHER", ROOT.resolve("nexus.distro/target/nexus.jar").toString());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "did not finish in 60 s";
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            return "exited " + process.exitValue() + ": " + firstLine(output);
        }
        if (!curl) {
            return null;
        }
        Matcher status = HTTP_STATUS.matcher(output);
        if (!status.find()) {
            return "no HTTP answer: " + firstLine(output);
        }
        int code = Integer.parseInt(status.group(1));
        boolean understood = code < 400 || code == 409;
        boolean documentedProblem = example.shown().contains("\"code\":\"") && code < 500;
        return understood || documentedProblem ? null : "answered " + code + ": " + firstLine(output);
    }

    private String substitute(String command) {
        int port = uri("/").getPort();
        return command.replace("localhost:8080", "127.0.0.1:" + port)
                .replace("run/", home() + "/")
                .replace("/path/to/", ROOT.resolve("docs/examples") + "/");
    }

    private static String firstLine(String text) {
        String line = text.strip().split("\n", 2)[0];
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** The examples of every document, in document order. */
    static List<Example> examples() throws IOException {
        List<Path> documents = new ArrayList<>();
        documents.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs")); Stream<Path> bundles = Files.list(ROOT)) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
            bundles.map(p -> p.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(documents::add);
        }
        List<Example> examples = new ArrayList<>();
        for (Path document : documents) {
            examples.addAll(examples(ROOT.relativize(document).toString(), Files.readAllLines(document)));
        }
        return examples;
    }

    /** The runnable example lines of one document: a command, its continuation lines, the output shown after it. */
    static List<Example> examples(String name, List<String> lines) {
        List<Example> examples = new ArrayList<>();
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced || !runnable(line)) {
                continue;
            }
            int at = i + 1;
            StringBuilder command = new StringBuilder(line);
            while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
                command.setLength(command.length() - 1);
                command.append(' ').append(lines.get(++i).strip());
            }
            StringBuilder shown = new StringBuilder();
            for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("```") && !lines.get(j).startsWith("$ ")
                    && !lines.get(j).startsWith("nexus> "); j++) {
                shown.append(lines.get(j)).append('\n');
            }
            examples.add(new Example(name + ":" + at, command.toString(), shown.toString().strip()));
        }
        return examples;
    }

    private static boolean runnable(String line) {
        return line.startsWith("$ curl ") || line.startsWith("$ python3 tools/rma.py ") || line.startsWith("$ ./nexus registry ")
                || (line.startsWith("nexus> ") && line.length() > "nexus> ".length());
    }
}
