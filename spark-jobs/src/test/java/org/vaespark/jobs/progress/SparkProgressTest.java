package org.vaespark.jobs.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.vaespark.prep.testing.SparkTestSession;

class SparkProgressTest {

    /** Spark delivers listener events asynchronously: waits up to 10 s for {@code value} to reach {@code expected}. */
    private static long await(LongSupplier value, long expected) throws InterruptedException {
        for (int i = 0; i < 200 && value.getAsLong() != expected; i++) {
            Thread.sleep(50);
        }
        return value.getAsLong();
    }

    @Test
    void countsWhatTheTasksAddOncePerTaskAndDropsAFailedAttempt() throws Exception {
        SparkContext sc = SparkTestSession.get().sparkContext();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        List<Integer> items = IntStream.range(0, 100).boxed().toList();
        try (SparkProgress p = SparkProgress.counting(sc, LoggerFactory.getLogger(SparkProgressTest.class), "test", "items", 100, 10)) {
            LongAccumulator done = p.accumulator();
            jsc.parallelize(items, 4).foreachPartition(it -> it.forEachRemaining(x -> done.add(1)));
            assertEquals(100, await(p::done, 100));
            // a task that counts and then fails: its count is dropped (the task's retry would count again)
            assertThrows(Exception.class, () -> jsc.parallelize(items, 1).foreachPartition(it -> {
                it.forEachRemaining(x -> done.add(1));
                throw new IllegalStateException("fails after counting");
            }));
            Thread.sleep(500);
            assertEquals(100, p.done());
            p.finish();
        }
    }

    @Test
    void countsFinishedTasksOfTheStagesSubmitted() throws Exception {
        SparkContext sc = SparkTestSession.get().sparkContext();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        try (SparkProgress p = SparkProgress.tasks(sc, LoggerFactory.getLogger(SparkProgressTest.class), "test", 10)) {
            jsc.parallelize(List.of(1, 2, 3, 4, 5, 6), 3).count();
            assertEquals(3, await(p::done, 3));
            p.finish();
        }
    }
}
