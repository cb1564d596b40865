package org.vaespark.prep.source;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vaespark.core.errors.Errors;

/** Driver-side listing of raw input through the Hadoop FileSystem API: names and sizes only, never contents. */
final class Listing {
    private Listing() {
    }

    static boolean isFile(FileSystem fs, Path p) {
        try {
            return fs.isFile(p);
        } catch (IOException e) {
            throw failure(p, e);
        }
    }

    static boolean isDirectory(FileSystem fs, Path p) {
        try {
            return fs.getFileStatus(p).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw failure(p, e);
        }
    }

    /** The entries of {@code dir} sorted by name, hidden ones ({@code .x}, {@code _x}) left out. */
    static List<FileStatus> list(FileSystem fs, Path dir) {
        try {
            List<FileStatus> out = new ArrayList<>();
            for (FileStatus s : fs.listStatus(dir)) {
                String n = s.getPath().getName();
                if (!n.startsWith(".") && !n.startsWith("_")) {
                    out.add(s);
                }
            }
            out.sort(Comparator.comparing(s -> s.getPath().getName()));
            return out;
        } catch (FileNotFoundException e) {
            throw Errors.missingInput(dir.toString(), "a directory holding the raw dataset files (prepare.input)");
        } catch (IOException e) {
            throw failure(dir, e);
        }
    }

    static void requireDirectory(FileSystem fs, Path dir) {
        if (!isDirectory(fs, dir)) {
            throw Errors.missingInput(dir.toString(), "a directory holding the raw dataset files (prepare.input)");
        }
    }

    /** {@code <dir>/<name>} or {@code <dir>/<sub>/<name>} for one of {@code subdirs}, whichever is a file; else null. */
    static Path find(FileSystem fs, Path dir, String name, String... subdirs) {
        if (isFile(fs, new Path(dir, name))) {
            return new Path(dir, name);
        }
        return Arrays.stream(subdirs).map(s -> new Path(new Path(dir, s), name)).filter(p -> isFile(fs, p))
                .findFirst().orElse(null);
    }

    /** The files under {@code dir} whose lower-case name ends with one of {@code suffixes}, sorted by name. */
    static List<String> filesEndingWith(FileSystem fs, Path dir, List<String> suffixes) {
        List<String> out = new ArrayList<>();
        for (FileStatus s : list(fs, dir)) {
            String n = s.getPath().getName();
            if (s.isFile() && suffixes.stream().anyMatch(x -> n.toLowerCase(java.util.Locale.ROOT).endsWith(x))) {
                out.add(n);
            }
        }
        return out;
    }

    private static RuntimeException failure(Path p, IOException e) {
        return Errors.jobFailed(p.toString(), "cannot list the input (" + e + ")",
                "check the path and the storage credentials", e);
    }
}
