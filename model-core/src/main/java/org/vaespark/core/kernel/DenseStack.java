package org.vaespark.core.kernel;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vaespark.core.model.VaeNames;

/**
 * The hidden layers h_i = f(h_{i-1} W_i + b_i) of an MLP (network/Mlp, plain, ReLU or tanh) and their
 * backward pass, on views of the flat parameter and gradient buffers ({@link DenseLayout}): the
 * encoder and decoder networks of Kingma &amp; Welling (2014, App. C). One GEMM per product; the bias
 * and the activation are one pass over the GEMM's output, and the bias gradient (the column sums of
 * the pre-activation gradient) is summed in the same pass that multiplies by f'(a).
 */
final class DenseStack {
    private final List<INDArray> weights = new ArrayList<>();
    private final List<float[]> biases = new ArrayList<>();
    private final int[] biasOffsets;
    private final List<INDArray> weightGrads = new ArrayList<>();
    private final List<float[]> biasGrads = new ArrayList<>();
    private final FloatBuffer paramValues;
    private final FloatBuffer gradValues;

    DenseStack(DenseLayout layout, INDArray params, INDArray grads, IntFunction<String> layer, int layers) {
        this.paramValues = DenseVae.floats(params);
        this.gradValues = DenseVae.floats(grads);
        this.biasOffsets = new int[layers];
        for (int i = 0; i < layers; i++) {
            String prefix = layer.apply(i);
            weights.add(layout.view(params, VaeNames.weight(prefix)));
            weightGrads.add(layout.view(grads, VaeNames.weight(prefix)));
            biasOffsets[i] = layout.offset(VaeNames.bias(prefix));
            biases.add(new float[layout.length(VaeNames.bias(prefix))]);
            biasGrads.add(new float[layout.length(VaeNames.bias(prefix))]);
        }
    }

    /** Fills {@code hidden} (one buffer per layer) from {@code in}; returns the last layer's output ({@code in} with no layers). */
    INDArray forward(INDArray in, List<INDArray> hidden, boolean relu, DenseGemms gemms) {
        for (int i = 0; i < biases.size(); i++) {
            paramValues.get(biasOffsets[i], biases.get(i));
        }
        return forward(in, weights, biases, hidden, relu, gemms);
    }

    /** h_i = f(h_{i-1} W_i + b_i) into {@code hidden}; returns the last output ({@code in} with no layers). */
    static INDArray forward(INDArray in, List<INDArray> weights, List<float[]> biases, List<INDArray> hidden, boolean relu) {
        return forward(in, weights, biases, hidden, relu, null);
    }

    private static INDArray forward(INDArray in, List<INDArray> weights, List<float[]> biases, List<INDArray> hidden, boolean relu,
                                    DenseGemms gemms) {
        INDArray h = in;
        for (int i = 0; i < weights.size(); i++) {
            INDArray out = hidden.get(i);
            if (gemms == null) {
                DenseVae.gemm(h, weights.get(i), out, false, false);
            } else {
                gemms.forward(h, weights.get(i), out);
            }
            TrainKernels.biasActivation(out.data().asNio(), (int) out.rows(), (int) out.columns(), biases.get(i), relu);
            if (!relu) {
                Transforms.tanh(out, false);
            }
            h = out;
        }
        return h;
    }

    /** Where the gradient of the stack's output goes: the last layer's buffer, or {@code inputGrad} with no layers. */
    INDArray outputGradient(List<INDArray> grads, INDArray inputGrad) {
        return weights.isEmpty() ? inputGrad : grads.get(grads.size() - 1);
    }

    /**
     * From the gradient of the output in {@link #outputGradient}, writes every weight and bias
     * gradient and, unless {@code inputGrad} is null, the gradient of {@code in}. {@code grads}
     * (one buffer per layer) is overwritten.
     */
    void backward(INDArray in, List<INDArray> hidden, List<INDArray> grads, INDArray inputGrad, boolean relu, DenseGemms gemms) {
        for (int i = weights.size() - 1; i >= 0; i--) {
            INDArray d = grads.get(i);
            float[] biasGrad = biasGrads.get(i);
            TrainKernels.activationBackward(d.data().asNio(), hidden.get(i).data().asNio(), (int) d.rows(), (int) d.columns(), relu, biasGrad);
            gradValues.put(biasOffsets[i], biasGrad);
            INDArray target = i > 0 ? grads.get(i - 1) : inputGrad;
            gemms.backward(i == 0 ? in : hidden.get(i - 1), d, weights.get(i), weightGrads.get(i), target);
        }
    }
}
