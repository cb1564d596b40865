package org.vaespark.prep.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** File helpers for tests: gunzip/gzip copies, truncated copies and content snapshots of directory trees. */
public final class TestFiles {
    private TestFiles() {
    }

    /** Decompresses {@code gz} into {@code dir} under {@code name}. */
    public static Path gunzip(Path gz, Path dir, String name) {
        Path out = dir.resolve(name);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            Files.copy(in, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gunzipBytes(Path gz) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path gzip(Path dir, String name, byte[] content) {
        Path out = dir.resolve(name);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out))) {
            o.write(content);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code bytes} bytes of {@code source}, written to {@code dir/name}. */
    public static Path truncatedCopy(Path source, Path dir, String name, int bytes) {
        try {
            byte[] all = Files.readAllBytes(source);
            return write(dir, name, java.util.Arrays.copyOf(all, bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path copy(Path source, Path dir) {
        try {
            return Files.copy(source, dir.resolve(source.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Relative path to SHA-256 of every regular file under {@code root} (hidden files included). */
    public static Map<String, String> snapshot(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                out.put(root.relativize(p).toString(), HexFormat.of().formatHex(digest));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names in {@code dir} (not recursive). */
    public static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
