package org.vaespark.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A reader of {@code model.safetensors} and the layers of a convolutional Bernoulli VAE written the
 * way PyTorch defines them (NCHW, {@code nn.Linear}, {@code nn.Conv2d}, {@code nn.ConvTranspose2d}
 * with stride 2 and padding 1), in plain Java with no ND4J: what a PyTorch user gets from the file.
 */
final class TorchReference {
    record T(int[] shape, float[] v) {
    }

    private final Map<String, T> tensors = new HashMap<>();
    private final int[] stages;
    private final int height;
    private final int width;
    private final int channels;

    /** Parses the file: 8-byte little-endian header length, the JSON header, raw little-endian float32. */
    TorchReference(Path file, int height, int width, int channels, int... stages) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            if (!e.getValue().get("dtype").asText().equals("F32")) {
                throw new IllegalStateException(e.getKey() + " is not F32");
            }
            int[] shape = new int[e.getValue().get("shape").size()];
            int n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.getValue().get("shape").get(i).asInt();
                n *= shape[i];
            }
            long start = e.getValue().get("data_offsets").get(0).asLong();
            long end = e.getValue().get("data_offsets").get(1).asLong();
            if (end - start != 4L * n) {
                throw new IllegalStateException(e.getKey() + ": offsets do not match the shape");
            }
            float[] v = new float[n];
            buf.position((int) (8 + headerLength + start));
            for (int i = 0; i < n; i++) {
                v[i] = buf.getFloat();
            }
            tensors.put(e.getKey(), new T(shape, v));
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.stages = stages.clone();
    }

    T get(String name) {
        T t = tensors.get(name);
        if (t == null) {
            throw new IllegalStateException("no tensor " + name + " in the file; it has " + tensors.keySet());
        }
        return t;
    }

    /** log p(x|z) for z = mu(x) + exp(logvar(x) / 2) eps; {@code xRow} in the dataset's channels-last order. */
    double logPxz(float[] xRow, float[] eps) {
        float[] x = new float[xRow.length];   // x.view(H, W, C).permute(2, 0, 1)
        for (int y = 0; y < height; y++) {
            for (int xx = 0; xx < width; xx++) {
                for (int c = 0; c < channels; c++) {
                    x[(c * height + y) * width + xx] = xRow[(y * width + xx) * channels + c];
                }
            }
        }
        float[] h = x;
        int hh = height;
        int ww = width;
        int in = channels;
        for (int i = 0; i < stages.length; i++) {
            h = relu(conv(h, in, hh, ww, get("encoder.conv." + i + ".weight"), get("encoder.conv." + i + ".bias")));
            hh /= 2;
            ww /= 2;
            in = stages[i];
        }
        h = relu(linear(h, "encoder.dense"));       // flatten(1): [C, h, w]
        float[] mu = linear(h, "encoder.mu");
        float[] logvar = linear(h, "encoder.logvar");
        float[] z = new float[mu.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = (float) (mu[j] + Math.exp(0.5 * logvar[j]) * eps[j]);
        }
        h = relu(linear(z, "decoder.dense"));        // view(C, h, w)
        for (int j = 0; j < stages.length; j++) {
            T w = get("decoder.deconv." + j + ".weight");
            h = deconv(h, w.shape()[0], hh, ww, w, get("decoder.deconv." + j + ".bias"));
            hh *= 2;
            ww *= 2;
            if (j < stages.length - 1) {
                h = relu(h);
            }
        }
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double l = h[i];
            sum += x[i] * logSigmoid(l) + (1 - x[i]) * logSigmoid(-l);
        }
        return sum;
    }

    private float[] linear(float[] x, String module) {
        T w = get(module + ".weight");
        T b = get(module + ".bias");
        int out = w.shape()[0];
        int in = w.shape()[1];
        if (x.length != in) {
            throw new IllegalStateException(module + " takes " + in + " inputs, given " + x.length);
        }
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double s = b.v()[o];
            for (int i = 0; i < in; i++) {
                s += (double) w.v()[o * in + i] * x[i];
            }
            y[o] = (float) s;
        }
        return y;
    }

    /** nn.Conv2d(k = 4, stride 2, padding 1) on one CHW image; w [out, in, 4, 4]. */
    private static float[] conv(float[] x, int in, int h, int w, T weight, T bias) {
        int out = weight.shape()[0];
        int k = weight.shape()[2];
        int oh = (h + 2 - k) / 2 + 1;
        int ow = (w + 2 - k) / 2 + 1;
        float[] y = new float[out * oh * ow];
        for (int o = 0; o < out; o++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double s = bias.v()[o];
                    for (int c = 0; c < in; c++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * 2 - 1 + ky;
                                int ix = ox * 2 - 1 + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    s += (double) weight.v()[((o * in + c) * k + ky) * k + kx] * x[(c * h + iy) * w + ix];
                                }
                            }
                        }
                    }
                    y[(o * oh + oy) * ow + ox] = (float) s;
                }
            }
        }
        return y;
    }

    /** nn.ConvTranspose2d(k = 4, stride 2, padding 1) on one CHW image; w [in, out, 4, 4]. */
    private static float[] deconv(float[] x, int in, int h, int w, T weight, T bias) {
        int out = weight.shape()[1];
        int k = weight.shape()[2];
        int oh = (h - 1) * 2 - 2 + k;
        int ow = (w - 1) * 2 - 2 + k;
        double[] y = new double[out * oh * ow];
        for (int o = 0; o < out; o++) {
            for (int p = 0; p < oh * ow; p++) {
                y[o * oh * ow + p] = bias.v()[o];
            }
        }
        for (int c = 0; c < in; c++) {
            for (int iy = 0; iy < h; iy++) {
                for (int ix = 0; ix < w; ix++) {
                    double v = x[(c * h + iy) * w + ix];
                    for (int o = 0; o < out; o++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int oy = iy * 2 - 1 + ky;
                                int ox = ix * 2 - 1 + kx;
                                if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) {
                                    y[(o * oh + oy) * ow + ox] += v * weight.v()[((c * out + o) * k + ky) * k + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] f = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            f[i] = (float) y[i];
        }
        return f;
    }

    private static float[] relu(float[] v) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.max(0f, v[i]);
        }
        return r;
    }

    private static double logSigmoid(double l) {
        return l >= 0 ? -Math.log1p(Math.exp(-l)) : l - Math.log1p(Math.exp(l));
    }
}
