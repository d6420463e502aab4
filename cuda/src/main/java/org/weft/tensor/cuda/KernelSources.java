package org.weft.tensor.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The CUDA C++ sources the build carried as class-path resources under one folder, found
 * whether the folder is a directory (running from target/classes) or inside a jar.
 */
final class KernelSources {

    private KernelSources() {
    }

    /** Every file directly under {@code folder} ("org/weft/native/src/"), by file name, in name order. */
    static TreeMap<String, String> read(ClassLoader loader, String folder) {
        TreeMap<String, String> files = new TreeMap<>();
        try {
            Enumeration<URL> roots = loader.getResources(folder);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (root.getProtocol().equals("file")) {
                    readDirectory(Path.of(root.toURI()), files);
                } else if (root.getProtocol().equals("jar")) {
                    readJar(root, folder, files);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the CUDA sources under " + folder, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("reading the CUDA sources under " + folder, e);
        }
        return files;
    }

    private static void readDirectory(Path dir, TreeMap<String, String> files) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (Files.isRegularFile(p)) {
                    files.putIfAbsent(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static void readJar(URL root, String folder, TreeMap<String, String> files) throws IOException {
        JarURLConnection c = (JarURLConnection) root.openConnection();
        c.setUseCaches(false);
        try (JarFile jar = c.getJarFile()) {
            for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                String n = e.getName();
                if (!e.isDirectory() && n.startsWith(folder) && n.indexOf('/', folder.length()) < 0) {
                    try (InputStream in = jar.getInputStream(e)) {
                        files.putIfAbsent(n.substring(folder.length()),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    /** A resource's bytes, or null when the class path has none. */
    static byte[] bytes(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }
}
