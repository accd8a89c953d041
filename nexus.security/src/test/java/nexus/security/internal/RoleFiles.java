package nexus.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Role configuration files for tests: written to a folder and read back as File Install hands them to DS. */
final class RoleFiles {

    private RoleFiles() {
    }

    /**
     * Writes {@code etc/nexus.security.role-NAME.cfg} with these lines.
     *
     * @return the configuration's properties: the file's keys, its PID and File Install's file name
     */
    static Map<String, Object> write(Path etc, String name, String... lines) throws IOException {
        Path file = etc.resolve("nexus.security.role-" + name + ".cfg");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1);
        Properties read = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            read.load(in);
        }
        Map<String, Object> properties = new HashMap<>();
        read.stringPropertyNames().forEach(key -> properties.put(key, read.getProperty(key)));
        properties.put("service.pid", "nexus.security.role~" + name);
        properties.put("service.factoryPid", "nexus.security.role");
        properties.put(RoleParser.FILE_PROPERTY, file.toUri().toString());
        return properties;
    }
}
