package org.vaespark.prep;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one definition of the Parquet layout every dataset is written in: one row per image,
 * partitioned on disk by {@link #SPLIT} ({@code split=train/}, {@code split=valid/}, {@code split=test/}).
 *
 * <p>Pixels are the unsigned bytes of the source, row-major with channels last: grey levels
 * 0..255 for MNIST (LeCun et al. 1998), 0/1 for statically binarized MNIST (Larochelle &amp;
 * Murray 2011). How pixels become model inputs is decided at training time, not here.
 */
public final class ImageSchema {
    public static final String ID = "id";
    public static final String SPLIT = "split";
    public static final String LABEL = "label";
    public static final String HEIGHT = "height";
    public static final String WIDTH = "width";
    public static final String CHANNELS = "channels";
    public static final String PIXELS = "pixels";

    public static final String TRAIN = "train";
    public static final String VALID = "valid";
    public static final String TEST = "test";

    /** Column order of {@link #SCHEMA} and of every DataFrame {@link DatasetReader} returns. */
    public static final List<String> COLUMNS = List.of(ID, SPLIT, LABEL, HEIGHT, WIDTH, CHANNELS, PIXELS);

    public static final StructType SCHEMA = new StructType()
            .add(ID, DataTypes.LongType, false)
            .add(SPLIT, DataTypes.StringType, false)
            .add(LABEL, DataTypes.IntegerType, true)
            .add(HEIGHT, DataTypes.IntegerType, false)
            .add(WIDTH, DataTypes.IntegerType, false)
            .add(CHANNELS, DataTypes.IntegerType, false)
            .add(PIXELS, DataTypes.BinaryType, false);

    private ImageSchema() {
    }

    /** The row of one record, in {@link #SCHEMA} column order. */
    public static Row toRow(ImageRecord r) {
        return RowFactory.create(r.id(), r.split(), r.label(), r.height(), r.width(), r.channels(), r.pixels());
    }

    public static List<Row> toRows(List<ImageRecord> records) {
        List<Row> rows = new ArrayList<>(records.size());
        for (ImageRecord r : records) {
            rows.add(toRow(r));
        }
        return rows;
    }

    /**
     * The record of a row with the {@link #SCHEMA} columns: looked up by name when the row carries a
     * schema (any column order), else by position in {@link #SCHEMA} order (rows made by {@link #toRow}).
     */
    public static ImageRecord fromRow(Row row) {
        int label = index(row, LABEL);
        return new ImageRecord(row.getLong(index(row, ID)), row.getString(index(row, SPLIT)),
                row.isNullAt(label) ? null : row.getInt(label), row.getInt(index(row, HEIGHT)),
                row.getInt(index(row, WIDTH)), row.getInt(index(row, CHANNELS)), (byte[]) row.get(index(row, PIXELS)));
    }

    private static int index(Row row, String column) {
        return row.schema() == null ? SCHEMA.fieldIndex(column) : row.fieldIndex(column);
    }
}
