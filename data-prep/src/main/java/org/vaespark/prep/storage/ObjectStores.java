package org.vaespark.prep.storage;

import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;

/**
 * Which Hadoop file systems are object stores: there a directory rename is a copy of every object
 * followed by deletes, neither atomic nor fast (Hadoop's "Object stores vs. filesystems" in the
 * FileSystem specification, filesystem/introduction.html), so commits must not depend on it.
 */
public final class ObjectStores {
    private static final Set<String> SCHEMES = Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs",
            "oss", "cos", "cosn", "obs");

    private ObjectStores() {
    }

    public static boolean isObjectStore(FileSystem fs) {
        String scheme = fs.getUri().getScheme();
        return scheme != null && SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
    }
}
