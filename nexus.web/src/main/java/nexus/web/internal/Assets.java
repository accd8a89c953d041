package nexus.web.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;

/**
 * The console's files, read at once: a fixed map from a path under {@code /console/} to its bytes,
 * content type and ETag (a SHA-256 prefix of the bytes). Only what is in the map is served, and
 * only files of the types listed here: a request can name no other file, so there is nothing to
 * traverse. Thread-safe (immutable).
 */
final class Assets {

    /** One file of the console. */
    record Asset(String path, byte[] bytes, String contentType, String etag) {
    }

    /** Content types by file extension; files of other kinds are not served. */
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml",
            "json", "application/json");

    private final Map<String, Asset> byPath;

    private Assets(Map<String, Asset> byPath) {
        this.byPath = Collections.unmodifiableMap(byPath);
    }

    /**
     * Reads the files a source lists.
     *
     * @param files  the paths of the files, relative to the console's root (e.g. {@code js/main.js})
     * @param opener opens one of them
     */
    static Assets read(Iterable<String> files, Opener opener) throws IOException {
        Map<String, Asset> map = new TreeMap<>();
        for (String file : files) {
            String type = TYPES.get(extension(file));
            if (type == null) {
                continue;
            }
            byte[] bytes;
            try (InputStream in = opener.open(file)) {
                bytes = in.readAllBytes();
            }
            map.put(file, new Asset(file, bytes, type, etag(bytes)));
        }
        return new Assets(map);
    }

    /** Opens one file of the console. */
    @FunctionalInterface
    interface Opener {
        InputStream open(String file) throws IOException;
    }

    /**
     * @return the files of a folder and its subfolders, read now; a folder that cannot be read serves
     *         nothing (every file is then a 404: the development aid's folder is wrong)
     */
    static Assets folder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            Path real = dir.toRealPath();
            // only plain files that really lie in the folder: a symbolic link could publish any file the node
            // may read (etc/tokens.json) to everyone, since the console's files need no token
            List<String> files = walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && inside(real, f))
                    .map(f -> dir.relativize(f).toString().replace(File.separatorChar, '/')).toList();
            return read(files, file -> Files.newInputStream(dir.resolve(file)));
        } catch (IOException | UncheckedIOException e) {
            return new Assets(Map.of());
        }
    }

    private static boolean inside(Path real, Path file) {
        try {
            return file.toRealPath().startsWith(real);
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the asset at this path under the console's root ("" is index.html) */
    Optional<Asset> get(String path) {
        return Optional.ofNullable(byPath.get(path.isEmpty() ? "index.html" : path));
    }

    /** @return how many files are served */
    int size() {
        return byPath.size();
    }

    /** The files of a bundle's folder, walked recursively through its entries. */
    static Iterable<String> entries(Bundle bundle, String root) {
        List<String> files = new ArrayList<>();
        Enumeration<URL> urls = bundle.findEntries(root, "*", true);
        if (urls != null) {
            while (urls.hasMoreElements()) {
                String path = urls.nextElement().getPath();
                int at = path.indexOf(root + "/");
                if (at >= 0 && !path.endsWith("/")) {
                    files.add(path.substring(at + root.length() + 1));
                }
            }
        }
        return files;
    }

    private static String extension(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1);
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** @return the file as UTF-8 text */
    static String text(Asset asset) {
        return new String(asset.bytes(), StandardCharsets.UTF_8);
    }
}
