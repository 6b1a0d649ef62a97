package dev.quant4j.api.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads every {@code META-INF/services} file for an SPI, to see which jars declare which provider class. */
final class ServiceFiles {
    private ServiceFiles() {
    }

    /** Provider class name to the distinct locations (jars or folders) whose service file declares it. */
    static Map<String, List<String>> declarations(Class<?> spi, ClassLoader loader) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try {
            Enumeration<URL> urls = loader.getResources("META-INF/services/" + spi.getName());
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                String where = location(url);
                for (String cls : classNames(url)) {
                    List<String> list = out.computeIfAbsent(cls, k -> new ArrayList<>());
                    if (!list.contains(where)) {
                        list.add(where);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service files for " + spi.getName(), e);
        }
        return out;
    }

    private static List<String> classNames(URL url) throws IOException {
        List<String> names = new ArrayList<>();
        var conn = url.openConnection();
        conn.setUseCaches(false);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(conn.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int hash = line.indexOf('#');
                String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String location(URL url) {
        try {
            if ("jar".equals(url.getProtocol())) {
                return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI()).toString();
            }
            if ("file".equals(url.getProtocol())) {
                // .../classes/META-INF/services/X -> .../classes
                return Path.of(url.toURI()).getParent().getParent().getParent().toString();
            }
        } catch (Exception e) {
            // fall through: report the URL itself
        }
        return url.toString();
    }
}
