package nexus.shell.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;
import nexus.query.SnapshotService;
import nexus.query.SnapshotSummary;

/**
 * {@code nexus:snapshot [file] [--format csv]} writes a snapshot of every tag to a file (in the home
 * folder unless absolute; {@code snapshots/snapshot-<time>.jsonl} without one), and
 * {@code nexus:restore <file> [confirmation] [--map-path]} checks one (a dry run, which prints the
 * confirmation) or, with the dry run's confirmation, restores it. Both act as the console's operator. docs/snapshot.md.
 */
@Component(service = SnapshotCommands.class, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=snapshot",
        "osgi.command.function=restore" })
public final class SnapshotCommands {

    /** Changes a dry run lists; the rest are counted. */
    static final int SHOWN = 20;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SnapshotService snapshots;

    /** The home folder files are named against, as ./nexus runs from it; the working folder without one. */
    private volatile Path home;

    public SnapshotCommands() {
    }

    /** For tests: commands on this service, files named against this folder. */
    SnapshotCommands(SnapshotService snapshots, Path home) {
        this.snapshots = snapshots;
        this.home = home;
    }

    @Activate
    void activate(BundleContext context) {
        String property = context.getProperty("nexus.home");
        home = property == null || property.isBlank() ? null : Path.of(property);
    }

    @Descriptor("write a snapshot of every tag with its value to snapshots/snapshot-<time>.jsonl")
    public String snapshot() {
        return write(null, SnapshotFormat.JSONL);
    }

    @Descriptor("write a snapshot of every tag with its value to a file (.csv: CSV, else JSON lines)")
    public String snapshot(@Descriptor("the file to write (relative to the home folder)") String file) {
        return write(file, file.toLowerCase(Locale.ROOT).endsWith(".csv") ? SnapshotFormat.CSV : SnapshotFormat.JSONL);
    }

    @Descriptor("write a snapshot in a format: snapshot --format csv")
    public String snapshot(@Descriptor("--format") String flag, @Descriptor("jsonl or csv") String format) {
        return write(null, format(flag, format));
    }

    @Descriptor("write a snapshot to a file in a format: snapshot plant.csv --format csv")
    public String snapshot(@Descriptor("the file to write") String file, @Descriptor("--format") String flag,
            @Descriptor("jsonl or csv") String format) {
        return write(file, format(flag, format));
    }

    @Descriptor("check a snapshot file against the tags now and show what a restore would change (a dry run), with"
            + " the confirmation that writes it")
    public String restore(@Descriptor("the snapshot file") String file) {
        return restore(file, new RestoreOptions(true, null, false));
    }

    @Descriptor("restore <file> <confirmation>: write what the dry run showed; restore <file> --map-path: a dry run"
            + " matching tags by path (a snapshot of another layout)")
    public String restore(@Descriptor("the snapshot file") String file,
            @Descriptor("the dry run's confirmation, or --map-path") String second) {
        return second.equals("--map-path") ? restore(file, new RestoreOptions(true, null, true))
                : restore(file, new RestoreOptions(false, second, false));
    }

    @Descriptor("restore <file> <confirmation> --map-path: write what a dry run with --map-path showed")
    public String restore(@Descriptor("the snapshot file") String file, @Descriptor("the dry run's confirmation") String confirmation,
            @Descriptor("--map-path") String flag) {
        if (!flag.equals("--map-path")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "usage: restore <file> [confirmation] [--map-path]; not '"
                    + flag + "'");
        }
        return restore(file, new RestoreOptions(false, confirmation, true));
    }

    private String write(String file, SnapshotFormat format) {
        Path target = file == null ? path("snapshots/snapshot-" + LocalDateTime.now().format(STAMP) + "." + format.wireName())
                : path(file);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            SnapshotSummary summary;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                summary = service().export(Console.operator(), format, out);
            } catch (RuntimeException | IOException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return "wrote " + target + ": " + summary.tags() + " tags of registry version " + summary.registryVersion()
                    + ", layout " + summary.layoutHash();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private String restore(String file, RestoreOptions options) {
        Path source = path(file);
        try (InputStream in = Files.newInputStream(source)) {
            return text(service().restore(Console.operator(), in, options), file, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    static String text(RestoreResult result, String file, RestoreOptions options) {
        StringBuilder text = new StringBuilder();
        text.append(result.tags()).append(" tags, ").append(result.unchanged()).append(" unchanged, ")
                .append(result.changes().size()).append(" changed, ").append(result.skippedTags()).append(" skipped\n");
        int shown = 0;
        for (RestoreResult.Change change : result.changes()) {
            if (shown++ == SHOWN) {
                text.append("  … and ").append(result.changes().size() - SHOWN).append(" more\n");
                break;
            }
            text.append("  ").append(change.path()).append(": ").append(change.current()).append(" -> ").append(change.snapshot())
                    .append(change.unit() == null ? "" : " " + change.unit()).append(change.writable() ? "" : " (not writable)")
                    .append('\n');
        }
        if (result.dryRun()) {
            text.append("nothing written; to write: restore ").append(file).append(' ').append(result.confirmation())
                    .append(options.mapByPath() ? " --map-path" : "").append('\n');
            return text.toString();
        }
        text.append("written ").append(result.written().size());
        if (!result.complete()) {
            text.append("; FAILED ").append(result.failed().size());
            for (RestoreResult.Failure failure : result.failed()) {
                text.append("\n  ").append(failure.path()).append(": ").append(failure.error().code()).append(' ')
                        .append(failure.error().getMessage());
            }
            text.append("\nnot written ").append(result.notWritten().size()).append(": ")
                    .append(String.join(", ", result.notWritten().subList(0, Math.min(SHOWN, result.notWritten().size()))));
        }
        return text.append('\n').toString();
    }

    private static SnapshotFormat format(String flag, String format) {
        if (!flag.equals("--format")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "usage: snapshot [file] [--format jsonl|csv]; not '" + flag + "'");
        }
        return SnapshotFormat.of(format);
    }

    private Path path(String text) {
        Path path = Path.of(text.strip());
        Path base = home;
        return (base == null || path.isAbsolute() ? path.toAbsolutePath() : base.resolve(path)).normalize();
    }

    private SnapshotService service() {
        SnapshotService current = snapshots;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the snapshot service is not running: see nexus:health");
        }
        return current;
    }
}
