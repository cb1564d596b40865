package org.vaespark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;

class ImageRecordTest {
    @Test
    void equalityComparesPixelContents() {
        ImageRecord a = new ImageRecord(3, "train", 7, 2, 2, 1, new byte[] {0, 1, 2, (byte) 255});
        ImageRecord b = new ImageRecord(3, "train", 7, 2, 2, 1, new byte[] {0, 1, 2, (byte) 255});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new ImageRecord(3, "train", 7, 2, 2, 1, new byte[] {0, 1, 2, 3}));
        assertNotEquals(a, new ImageRecord(3, "train", null, 2, 2, 1, new byte[] {0, 1, 2, (byte) 255}));
        assertEquals(255, a.pixel(1, 1, 0));
    }

    @Test
    void pixelCountMustMatchTheShape() {
        assertThrows(VaeException.class, () -> new ImageRecord(0, "train", 1, 28, 28, 1, new byte[783]));
        assertThrows(VaeException.class, () -> new ImageRecord(-1, "train", 1, 1, 1, 1, new byte[1]));
        assertThrows(VaeException.class, () -> new ImageRecord(0, "", 1, 1, 1, 1, new byte[1]));
    }

    @Test
    void rowRoundTripFollowsTheSchema() {
        ImageRecord r = new ImageRecord(5, "test", null, 1, 2, 3, new byte[] {1, 2, 3, 4, 5, 6});
        Row row = ImageSchema.toRow(r);
        assertEquals(ImageSchema.COLUMNS.size(), row.length());
        assertEquals(r, ImageSchema.fromRow(row));
        Object[] reordered = {row.get(6), row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5)};
        StructType schema = new StructType(new StructField[] {ImageSchema.SCHEMA.fields()[6], ImageSchema.SCHEMA.fields()[0],
                ImageSchema.SCHEMA.fields()[1], ImageSchema.SCHEMA.fields()[2], ImageSchema.SCHEMA.fields()[3],
                ImageSchema.SCHEMA.fields()[4], ImageSchema.SCHEMA.fields()[5]});
        assertEquals(r, ImageSchema.fromRow(new GenericRowWithSchema(reordered, schema)), "looked up by name");
        assertEquals(ImageSchema.COLUMNS, java.util.Arrays.asList(ImageSchema.SCHEMA.fieldNames()));
    }
}
