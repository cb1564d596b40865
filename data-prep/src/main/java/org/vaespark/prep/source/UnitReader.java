package org.vaespark.prep.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.io.Compression;

/**
 * Reads one {@link InputUnit} on a Spark executor through the Hadoop FileSystem API. The same code
 * runs twice: the scan pass ({@link #scan}) checks every record, counts the images of each part and
 * hashes the raw bytes; the row pass ({@link #rows}) decodes again with the ids fixed by the driver.
 * Archives are streamed entry by entry and rows leave through a bounded queue, so a task holds at
 * most one part's images in memory.
 */
final class UnitReader implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int DIGEST_BYTES = 32;

    private final HadoopConf conf;
    private final PartDecoder decoder;
    private final ImageDecoding images;

    /** {@code decoder} reads file and archive units, {@code images} image shards; either may be null if unused. */
    UnitReader(HadoopConf conf, PartDecoder decoder, ImageDecoding images) {
        this.conf = conf;
        this.decoder = decoder;
        this.images = images;
    }

    UnitScan scan(InputUnit u) {
        return read(u, null, r -> { });
    }

    /**
     * The rows of {@code u}, streamed ({@link RowStream}); {@code offsets} maps {@link #key} of each
     * part to the id of its first image.
     */
    java.util.Iterator<Row> rows(InputUnit u, Map<String, Long> offsets) {
        return new RowStream(u.path(), sink -> read(u, offsets, r -> sink.accept(ImageSchema.toRow(r))));
    }

    static String key(String split, String partName) {
        return split + "/" + partName;
    }

    private UnitScan read(InputUnit u, Map<String, Long> offsets, Consumer<ImageRecord> out) {
        if (u.kind() == InputUnit.Kind.IMAGES) {
            return readImages(u, offsets == null, out);
        }
        Path p = new Path(u.path());
        MessageDigest md = sha256();
        List<UnitScan.Part> parts = new ArrayList<>();
        try (InputStream raw = fs(p).open(p); CountingDigest in = new CountingDigest(raw, md)) {
            switch (u.kind()) {
                case FILE -> parts.add(part(in, u.path(), p.getName(), u.split(), offsets, out));
                case TAR -> readTar(in, u.path(), offsets, out, parts);
                case ZIP -> readZip(in, u.path(), offsets, out, parts);
                default -> throw new IllegalStateException(u.kind().toString());
            }
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return new UnitScan(parts, p.getName(), in.count, HexFormat.of().formatHex(md.digest()), null);
        } catch (IOException e) {
            throw Compression.readFailure(u.path(), "read", e);
        }
    }

    private void readTar(InputStream in, String path, Map<String, Long> offsets, Consumer<ImageRecord> out,
                         List<UnitScan.Part> parts) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(Compression.open(in, path));
        for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
            readEntry(e.isFile(), e.getName(), tar, path, offsets, out, parts);
        }
    }

    private void readZip(InputStream in, String path, Map<String, Long> offsets, Consumer<ImageRecord> out,
                         List<UnitScan.Part> parts) throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            readEntry(!e.isDirectory(), e.getName(), zip, path, offsets, out, parts);
        }
    }

    private void readEntry(boolean isFile, String entry, InputStream in, String path, Map<String, Long> offsets,
                           Consumer<ImageRecord> out, List<UnitScan.Part> parts) {
        String base = entry.substring(entry.lastIndexOf('/') + 1);
        String split = isFile && !base.startsWith(".") ? decoder.splitOf(base) : null;
        if (split != null) {
            parts.add(part(in, path + "!" + entry, base, split, offsets, out));
        }
    }

    private UnitScan.Part part(InputStream in, String name, String partName, String split, Map<String, Long> offsets,
                               Consumer<ImageRecord> out) {
        long first = offsets == null ? 0 : offsets.get(key(split, partName));
        ImageRecord[] firstRecord = new ImageRecord[1];
        long n = decoder.decode(new FilterInputStream(in) {
            @Override
            public void close() {
            }
        }, name, split, first, r -> {
            if (firstRecord[0] == null) {
                firstRecord[0] = r;
            }
            out.accept(r);
        });
        if (n == 0) {
            throw Errors.corruptFile(name, null, "the file holds no images", "download the dataset again");
        }
        ImageRecord f = firstRecord[0];
        return new UnitScan.Part(split, partName, n, f.height(), f.width(), f.channels());
    }

    private UnitScan readImages(InputUnit u, boolean scanning, Consumer<ImageRecord> out) {
        Path folder = new Path(u.path());
        FileSystem fs = fs(folder);
        byte[] digests = scanning ? new byte[u.images().size() * DIGEST_BYTES] : null;
        long bytes = 0;
        ImageRecord first = null;
        String firstName = null;
        for (int i = 0; i < u.images().size(); i++) {
            String rel = u.images().get(i);
            Path f = new Path(folder, rel);
            byte[] content;
            try (InputStream in = fs.open(f)) {
                content = in.readAllBytes();
            } catch (IOException e) {
                throw Compression.readFailure(f.toString(), "read", e);
            }
            bytes += content.length;
            if (scanning) {
                System.arraycopy(sha256().digest(content), 0, digests, i * DIGEST_BYTES, DIGEST_BYTES);
            }
            Integer label = u.labels() == null ? null : u.labels().get(i);
            ImageRecord r = images.decode(content, f.toString(), u.firstId() + i, u.split(), label);
            if (first == null) {
                first = r;
                firstName = f.toString();
            } else {
                images.checkSameShape(r, f.toString(), first, firstName);
            }
            out.accept(r);
        }
        UnitScan.Part part = new UnitScan.Part(u.split(), String.format("%012d", u.firstId()), u.images().size(),
                first.height(), first.width(), first.channels());
        return new UnitScan(List.of(part), folder.getName(), bytes, null, digests);
    }

    private FileSystem fs(Path p) {
        try {
            return p.getFileSystem(conf.get());
        } catch (IOException e) {
            throw Errors.jobFailed(p.toString(), "no file system for this path (" + e + ")",
                    "use a local path, hdfs:// or s3a:// with its Hadoop connector on the classpath", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw Errors.jobFailed("SHA-256", "this Java runtime has no SHA-256 digest", "run on a standard Java 17 runtime", e);
        }
    }

    /** Digests and counts every byte read through it. */
    private static final class CountingDigest extends DigestInputStream {
        private long count;

        CountingDigest(InputStream in, MessageDigest md) {
            super(in, md);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
