package org.vaespark.core.noise;

import org.vaespark.core.kernel.BoxMuller;

/**
 * Counter-based standard-normal noise: the value for (seed, stream, example id, sample s,
 * latent j) is a pure function of those five numbers. A retried Spark task, a different
 * partitioning or a different chunking of the k importance samples therefore sees exactly
 * the same noise, which is what deterministic IWAE evaluation needs (docs/math.md, Evaluation protocol).
 *
 * <p>Each pair of normals comes from one 64-bit SplitMix64-style hash (Steele et al. 2014)
 * of the counters, split into two 32-bit uniforms and transformed by Box-Muller ({@link BoxMuller},
 * the same bits with or without the SIMD kernels).
 */
public final class NoiseSource {
    /** Stream of the evaluation noise; training uses streams derived from the step. */
    public static final long EVAL_STREAM = 0x5EEDL;

    private static final double INV_2_32 = 1.0 / 4294967296.0;

    private NoiseSource() {
    }

    /**
     * Fills {@code out[(s - sampleStart) * rowStride + b * dim + j]} for the given examples,
     * samples {@code sampleStart .. sampleStart + samples - 1} and latents {@code 0 .. dim - 1}:
     * the layout of a [samples, examples, dim] array with rowStride = examples * dim.
     */
    public static void fill(float[] out, long seed, long stream, long[] exampleIds, int sampleStart, int samples, int dim) {
        int examples = exampleIds.length;
        int rowStride = examples * dim;
        int pairs = (dim + 1) / 2;
        int perExample = samples * pairs;
        int n = examples * perExample;
        double[] u1 = new double[n];
        double[] u2 = new double[n];
        double[] cos = new double[n];
        double[] sin = new double[n];
        long base = mix(seed * 0x9E3779B97F4A7C15L + stream);
        for (int b = 0; b < examples; b++) {
            long exampleKey = mix(base ^ mix(exampleIds[b] + 0x632BE59BD9B4E019L));
            for (int s = 0; s < samples; s++) {
                long sampleKey = mix(exampleKey + (long) (sampleStart + s) * 0xD1B54A32D192ED03L);
                for (int p = 0; p < pairs; p++) {
                    long h = mix(sampleKey + (p + 1) * 0x9E3779B97F4A7C15L);
                    int at = b * perExample + s * pairs + p;
                    u1[at] = ((h >>> 32) + 0.5) * INV_2_32;
                    u2[at] = ((h & 0xFFFFFFFFL) + 0.5) * INV_2_32;
                }
            }
        }
        // one transform of every pair: elementwise, so the same bits as one call per example, with less call overhead
        BoxMuller.transform(u1, u2, cos, sin, n);
        for (int b = 0; b < examples; b++) {
            for (int s = 0; s < samples; s++) {
                int offset = s * rowStride + b * dim;
                int from = b * perExample + s * pairs;
                for (int p = 0; p < pairs; p++) {
                    int j = 2 * p;
                    out[offset + j] = (float) cos[from + p];
                    if (j + 1 < dim) {
                        out[offset + j + 1] = (float) sin[from + p];
                    }
                }
            }
        }
    }

    /** A uniform in (0, 1) that depends only on its counters (used for dynamic binarization). */
    public static double uniform(long seed, long stream, long exampleId, long index) {
        long h = mix(mix(mix(seed * 0x9E3779B97F4A7C15L + stream) ^ mix(exampleId + 0x632BE59BD9B4E019L)) + index * 0xD1B54A32D192ED03L);
        return ((h >>> 11) + 0.5) * 0x1.0p-53;
    }

    /** Derives an independent seed from a parent seed and labels (partition, round, epoch ...). */
    public static long derive(long seed, long... labels) {
        long h = mix(seed ^ 0xA0761D6478BD642FL);
        for (long label : labels) {
            h = mix(h + label * 0x9E3779B97F4A7C15L + 0xE7037ED1A0B428DBL);
        }
        return h;
    }

    /** The SplitMix64 finalizer: a bijective 64-bit mix with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
