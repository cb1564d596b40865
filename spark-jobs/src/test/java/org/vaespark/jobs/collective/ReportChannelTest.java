package org.vaespark.jobs.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** Reports from a task to the driver over a real loopback socket: all of them, in order, and then the end of the stream. */
class ReportChannelTest {

    @Test
    void reportsArriveInOrderAndTheStreamEndsAfterTheLast() throws Exception {
        try (ReportChannel.Sink sink = ReportChannel.Sink.open("127.0.0.1", "127.0.0.1")) {
            float[] big = new float[3_000_000];
            big[2_999_999] = 7f;
            try (ReportChannel.Source source = ReportChannel.Source.connect(sink.address(), 5000, "test.key")) {
                source.send("first");
                source.send(big);
                // a second array, equal but for one value
                float[] changed = big.clone();
                changed[0] = 1f;
                source.send(changed);
            }
            assertTrue(sink.awaitEnd(5000), "the stream ends once the source is closed");
            assertEquals("first", sink.poll());
            float[] second = (float[]) sink.poll();
            assertEquals(7f, second[2_999_999]);
            assertEquals(0f, second[0]);
            float[] third = (float[]) sink.poll();
            assertEquals(1f, third[0]);
            assertNull(sink.poll());
            assertNull(sink.failure());
        }
    }

    @Test
    void aSourceWithoutASinkFailsNamingTheAddress() {
        String address;
        try (ReportChannel.Sink sink = ReportChannel.Sink.open("127.0.0.1", "127.0.0.1")) {
            address = sink.address();
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ReportChannel.Source.connect(address, 2000, "test.key"));
        assertTrue(e.getMessage().contains(address), e.getMessage());
    }
}
