package org.vaespark.prep.io;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.vaespark.core.errors.Errors;

/** SHA-256 (FIPS 180-4) of a byte stream, as lower-case hex: how the manifest identifies each source file. */
public final class Checksums {
    private Checksums() {
    }

    /** Digests the stream to its end (it is not closed); returns the lower-case hex digest. */
    public static String sha256(InputStream in, String name) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw Errors.jobFailed("SHA-256", "this Java runtime has no SHA-256 digest", "run on a standard Java 17 runtime", e);
        }
        byte[] buf = new byte[Compression.BUFFER];
        try {
            int n;
            while ((n = in.read(buf)) != -1) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw Compression.readFailure(name, "checksum", e);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
