package org.vaespark.jobs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import org.vaespark.prep.io.Compression;

/**
 * The floor for the prepare benchmark: reads and decompresses the given raw files and nothing
 * else, so a prepare job's wall time can be compared with the time the input itself costs.
 * Prints one JSON object: bytes read, bytes after decompression, seconds.
 */
public final class ReadBaseline {
    private ReadBaseline() {
    }

    public static void main(String[] args) throws IOException {
        long raw = 0;
        long decompressed = 0;
        byte[] buf = new byte[1 << 16];
        long t0 = System.nanoTime();
        for (String a : args) {
            Path p = Paths.get(a);
            raw += Files.size(p);
            try (InputStream in = Compression.open(Files.newInputStream(p), p.toString())) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    decompressed += n;
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "{\"files\": %d, \"bytes\": %d, \"decompressed_bytes\": %d, \"seconds\": %.3f}%n",
                args.length, raw, decompressed, seconds);
    }
}
