package org.vaespark.prep.source;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.vaespark.core.errors.VaeException;

/**
 * Turns a push-style decoder (records handed to a callback) into the lazy iterator a Spark task
 * returns, through a small bounded queue filled by a producer thread. A task therefore holds at
 * most one decoded part plus {@link #CAPACITY} rows, however large its archive: collecting a zip of
 * ImageNet batches first would hold gigabytes of rows in one task. If the task ends early the
 * producer is interrupted; a producer failure is rethrown to the task unchanged.
 */
final class RowStream implements Iterator<Row> {
    static final int CAPACITY = 512;
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private Object next;

    private record Failure(Throwable cause) {
    }

    /** Starts {@code producer}, which passes every row to the consumer it is given, on its own thread. */
    RowStream(String name, Consumer<Consumer<Row>> producer) {
        Thread thread = new Thread(() -> {
            try {
                producer.accept(this::put);
                put(END);
            } catch (Throwable t) {
                if (!(t instanceof Stopped)) {
                    offerFailure(t);
                }
            }
        }, "prepare-reader " + name);
        thread.setDaemon(true);
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> thread.interrupt());
        }
        thread.start();
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading input", e);
            }
        }
        if (next instanceof Failure f) {
            if (f.cause() instanceof VaeException v) {
                throw v;
            }
            if (f.cause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(f.cause());
        }
        return next != END;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row r = (Row) next;
        next = null;
        return r;
    }

    private void put(Object o) {
        try {
            queue.put(o);
        } catch (InterruptedException e) {
            throw new Stopped();
        }
    }

    private void offerFailure(Throwable t) {
        queue.clear();
        queue.offer(new Failure(t));
    }

    /** Thrown inside the producer when the task has ended; never seen by callers. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }
}
