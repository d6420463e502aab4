package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CUDA sources are found under a resource folder, from a directory or from a jar. */
class KernelSourcesTest {

    private static final String FOLDER = "org/weft/tensor/cuda/testkernels/";

    @Test
    void readsEveryFileOfAResourceDirectory() {
        var files = KernelSources.read(getClass().getClassLoader(), FOLDER);
        assertEquals(List.of("fill.cu", "testkernels.cuh"), List.copyOf(files.keySet()));
        assertTrue(files.get("fill.cu").contains("weft_test_fill"));
    }

    @Test
    void readsTheFilesOfAFolderInsideAJarButNotOfItsSubfolders(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("k.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "org/weft/native/src/", null);
            put(out, "org/weft/native/src/a.cu", "extern \"C\" __global__ void a() {}");
            put(out, "org/weft/native/src/common.cuh", "#pragma once");
            put(out, "org/weft/native/src/old/b.cu", "not this one");
            put(out, "org/weft/native/weft_kernels.fatbin", "\u0001\u0002");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            var files = KernelSources.read(loader, KernelLibrary.SOURCES);
            assertEquals(List.of("a.cu", "common.cuh"), List.copyOf(files.keySet()));
            assertEquals("#pragma once", files.get("common.cuh"));
            assertEquals(2, KernelSources.bytes(loader, KernelLibrary.FATBIN).length);
            assertNull(KernelSources.bytes(loader, "org/weft/native/missing.fatbin"));
        }
    }

    @Test
    void anAbsentFolderHasNoFiles() {
        assertTrue(KernelSources.read(getClass().getClassLoader(), "org/weft/no/such/folder/").isEmpty());
    }

    private static void put(JarOutputStream out, String name, String text) throws Exception {
        out.putNextEntry(new JarEntry(name));
        if (text != null) {
            OutputStream o = out;
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }
}
