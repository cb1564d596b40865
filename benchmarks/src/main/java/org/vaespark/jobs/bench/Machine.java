package org.vaespark.jobs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.train.NativeThreads;

/**
 * What the benchmarks measure the product against: this machine's single-precision GEMM rate
 * through the BLAS the product uses, the load other processes put on it, and the memory a phase
 * holds (heap, JavaCPP's off-heap allocations, resident set).
 */
public final class Machine {
    private Machine() {
    }

    /** The sgemm rate, GFLOP/s, on {@code n} x {@code n} matrices with {@code threads} BLAS threads (median of 7). */
    public static double sgemmGflops(int threads, int n) {
        return sgemmGflops(threads, n, 7);
    }

    /** The sgemm rate, GFLOP/s, on {@code n} x {@code n} matrices with {@code threads} BLAS threads: the median of {@code repeats} after one untimed call. */
    public static double sgemmGflops(int threads, int n, int repeats) {
        NativeThreads.configure(threads);
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        double[] rates = new double[repeats];
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        for (int i = 0; i < rates.length; i++) {
            long t = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            rates[i] = 2.0 * n * n * n / ((System.nanoTime() - t) / 1e9) / 1e9;
        }
        a.close();
        b.close();
        c.close();
        return median(rates);
    }

    /** The median of {@code values} (the upper one of an even count). */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The 1-minute load average (other processes compete for the cores and inflate every time); NaN where unknown. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /**
     * Memory held now, in MB: heap in use (after a GC), JavaCPP's tracked off-heap bytes, and the process's resident set
     * (JavaCPP's reading, and VmRSS / VmHWM, the resident set and its peak, from /proc/self/status; NaN where unreadable).
     */
    public static Map<String, Object> memory() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap_used_mb", (r.totalMemory() - r.freeMemory()) / 1e6);
        m.put("heap_max_mb", r.maxMemory() / 1e6);
        m.put("offheap_javacpp_mb", Pointer.totalBytes() / 1e6);
        m.put("offheap_javacpp_max_mb", Pointer.maxBytes() / 1e6);
        m.put("resident_mb", Pointer.physicalBytes() / 1e6);
        m.put("vm_rss_mb", procStatusKb("VmRSS") / 1e3);
        m.put("vm_hwm_mb", procStatusKb("VmHWM") / 1e3);
        return m;
    }

    /** A "kB" field of /proc/self/status (VmRSS, VmHWM, ...), or NaN where there is none (not Linux). */
    public static double procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Double.parseDouble(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
