package org.vaespark.prep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.VaeException;

/** Rows of a unit are streamed with bounded look-ahead, in order, and producer failures reach the task unchanged. */
class RowStreamTest {

    @Test
    void theProducerRunsAtMostOneQueueAheadOfTheConsumer() throws InterruptedException {
        AtomicInteger produced = new AtomicInteger();
        RowStream stream = new RowStream("test", sink -> {
            for (long i = 0; i < 100_000; i++) {
                sink.accept(RowFactory.create(i));
                produced.incrementAndGet();
            }
        });
        Thread.sleep(300);
        assertTrue(produced.get() <= RowStream.CAPACITY + 1, "produced " + produced.get() + " rows with none consumed");
        long expected = 0;
        while (stream.hasNext()) {
            assertEquals(expected++, stream.next().getLong(0));
        }
        assertEquals(100_000, expected);
    }

    @Test
    void aProducerFailureIsRethrownUnchanged() {
        VaeException failure = Errors.corruptFile("batch_3", "record 7", "bad label 11", "download the dataset again");
        RowStream stream = new RowStream("test", sink -> {
            sink.accept(RowFactory.create(1L));
            throw failure;
        });
        VaeException thrown = assertThrows(VaeException.class, () -> {
            while (stream.hasNext()) {
                stream.next();
            }
        });
        assertSame(failure, thrown);
    }
}
