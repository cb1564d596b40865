package org.vaespark.prep.source;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.io.Checksums;

/**
 * Finds and opens raw dataset files through the Hadoop FileSystem API, so the input directory
 * may be local, hdfs:// or s3a://. A file is accepted under its plain name or with {@code .gz}
 * appended; when both exist the {@code .gz} one is used (the readers detect compression by content).
 */
final class RawFiles {
    private final FileSystem fs;
    private final Path dir;

    RawFiles(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
        try {
            if (!fs.getFileStatus(dir).isDirectory()) {
                throw Errors.missingInput(dir.toString(), "a directory holding the raw dataset files (prepare.input)");
            }
        } catch (java.io.FileNotFoundException e) {
            throw Errors.missingInput(dir.toString(), "a directory holding the raw dataset files (prepare.input)");
        } catch (IOException e) {
            throw Errors.jobFailed(dir.toString(), "cannot list the input directory (" + e + ")",
                    "check the path and the storage credentials", e);
        }
    }

    /** {@code <dir>/<name>.gz} or {@code <dir>/<name>}, whichever exists (the .gz first). */
    Path locate(String name, String what) {
        for (String candidate : new String[] {name + ".gz", name}) {
            Path p = new Path(dir, candidate);
            try {
                if (fs.isFile(p)) {
                    return p;
                }
            } catch (IOException e) {
                throw Errors.jobFailed(p.toString(), "cannot check the input file (" + e + ")",
                        "check the path and the storage credentials", e);
            }
        }
        throw Errors.missingInput(new Path(dir, name) + "[.gz]", what + ", a file named " + name + " or " + name + ".gz");
    }

    InputStream open(Path p) {
        try {
            return fs.open(p);
        } catch (IOException e) {
            throw Errors.jobFailed(p.toString(), "cannot open the input file (" + e + ")",
                    "check the file permissions and the storage credentials", e);
        }
    }

    /** Name, size and SHA-256 of the file exactly as stored (compressed or not). */
    Manifest.SourceFile describe(Path p) {
        try (InputStream in = open(p)) {
            FileStatus status = fs.getFileStatus(p);
            return new Manifest.SourceFile(p.getName(), status.getLen(), Checksums.sha256(in, p.toString()));
        } catch (IOException e) {
            throw Errors.jobFailed(p.toString(), "cannot read the input file (" + e + ")",
                    "check the file permissions and the storage credentials", e);
        }
    }
}
