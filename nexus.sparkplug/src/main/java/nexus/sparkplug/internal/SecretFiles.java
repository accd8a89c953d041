package nexus.sparkplug.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The files a configuration names for its secrets: password files (the first line) and PKCS#12
 * stores, relative to the node's home. A file that is missing or cannot be read refuses the
 * configuration, naming the key and the file.
 */
final class SecretFiles {

    private SecretFiles() {
    }

    /**
     * @return TLS from the PKCS#12 trust and key stores, or {@code null} when neither is configured
     * @throws Settings.Refused when a store or its password file cannot be read, or a tcp:// URL would not use them
     */
    static SSLSocketFactory tls(String trust, String keys, String passwordFile, Path home, List<String> urls) {
        if (trust.isEmpty() && keys.isEmpty()) {
            return null;
        }
        String key = trust.isEmpty() ? "tls.keystore" : "tls.truststore";
        if (urls.stream().anyMatch(url -> url.startsWith("tcp:"))) {
            throw new Settings.Refused(key + " is set but broker.urls has a tcp:// URL, which would not use it: use ssl:// URLs"
                    + " only, or leave " + key + " empty");
        }
        char[] password = passwordFile.isEmpty() ? new char[0]
                : firstLine("tls.password.file", home, passwordFile).toCharArray();
        try {
            TrustManagerFactory trustManagers = null;
            if (!trust.isEmpty()) {
                trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(store("tls.truststore", home, trust, password));
            }
            KeyManagerFactory keyManagers = null;
            if (!keys.isEmpty()) {
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(store("tls.keystore", home, keys, password), password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(),
                    trustManagers == null ? null : trustManagers.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new Settings.Refused("tls.truststore / tls.keystore: the stores cannot be used for TLS (" + e.getMessage()
                    + "): check them and tls.password.file");
        }
    }

    private static KeyStore store(String key, Path home, String name, char[] password) {
        Path file = file(key, home, name);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new Settings.Refused(key + " " + file + " cannot be read as a PKCS#12 store (" + e.getMessage() + "): check the"
                    + " file and tls.password.file");
        }
    }

    static String firstLine(String key, Path home, String name) {
        Path file = file(key, home, name);
        try {
            List<String> lines = Files.readAllLines(file);
            String line = lines.isEmpty() ? "" : lines.get(0).strip();
            if (line.isEmpty()) {
                throw new Settings.Refused(key + " " + file + " is empty: write the password on its first line");
            }
            return line;
        } catch (IOException e) {
            throw new Settings.Refused(key + " " + file + " cannot be read (" + e.getClass().getSimpleName() + "): create it"
                    + " (relative to the node's home) or fix its permissions");
        }
    }

    private static Path file(String key, Path home, String name) {
        try {
            Path file = Path.of(name);
            file = file.isAbsolute() ? file : home.resolve(file);
            if (!Files.isReadable(file) || Files.isDirectory(file)) {
                throw new Settings.Refused(key + " " + file + " is missing or unreadable: create it (relative to the node's home)"
                        + " or fix its permissions");
            }
            return file;
        } catch (InvalidPathException e) {
            throw new Settings.Refused(key + " '" + name.replaceAll("\\p{Cntrl}", "?") + "' is not a path: " + e.getReason());
        }
    }
}
