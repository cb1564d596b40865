package org.vaespark.prep.validate;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.vaespark.prep.ImageSchema;
import scala.Tuple2;

/**
 * A hash of a prepared dataset's rows that does not depend on file layout or row order: every
 * row (split, id, label, height, width, channels, pixels) is hashed with SHA-256, the first 128
 * bits are summed modulo 2^128 per split (computed in parallel by Spark), and the per-split
 * (count, sum) pairs are hashed in split order. Equal rows give equal hashes whatever the
 * partitioning; any changed pixel, label or id changes it.
 */
public final class ContentHash {
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(128);

    private ContentHash() {
    }

    /** The content hash of rows in {@link ImageSchema#COLUMNS} order, as lower-case hex. */
    public static String of(Dataset<Row> rows) {
        Map<String, Tuple2<Long, BigInteger>> perSplit = new TreeMap<>(rows.javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getString(1), new Tuple2<>(1L, rowHash(r))))
                .reduceByKey((a, b) -> new Tuple2<>(a._1() + b._1(), a._2().add(b._2()).mod(MOD)))
                .collectAsMap());
        MessageDigest d = sha256();
        for (Map.Entry<String, Tuple2<Long, BigInteger>> e : perSplit.entrySet()) {
            d.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            d.update(ByteBuffer.allocate(8).putLong(e.getValue()._1()).array());
            d.update(e.getValue()._2().toByteArray());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** The first 128 bits of the SHA-256 of one row's fields, as a non-negative integer. */
    static BigInteger rowHash(Row r) {
        MessageDigest d = sha256();
        byte[] split = r.getString(1).getBytes(StandardCharsets.UTF_8);
        byte[] pixels = (byte[]) r.get(6);
        ByteBuffer b = ByteBuffer.allocate(4 + split.length + 8 + 1 + 4 + 12);
        b.putInt(split.length).put(split).putLong(r.getLong(0));
        if (r.isNullAt(2)) {
            b.put((byte) 0).putInt(0);
        } else {
            b.put((byte) 1).putInt(r.getInt(2));
        }
        b.putInt(r.getInt(3)).putInt(r.getInt(4)).putInt(r.getInt(5));
        d.update(b.array());
        d.update(pixels);
        byte[] h = d.digest();
        return new BigInteger(1, java.util.Arrays.copyOf(h, 16));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
