package org.vaespark.jobs.nativebuild;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Run in a child JVM by {@link NativeBuildTest}: prints which libnd4j build loaded ({@code buildInfo()}) and the
 * sum and sum of squares of a convolution of fixed inputs, the op that the oneDNN build runs through its own kernels.
 */
public final class NativeBuildProbe {
    private NativeBuildProbe() {
    }

    public static void main(String[] args) {
        Random r = new Random(7);
        float[] x = new float[4 * 3 * 16 * 16];
        float[] w = new float[3 * 3 * 3 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.var("x", Nd4j.createFromArray(x).reshape(4, 3, 16, 16));
        SDVariable kernel = sd.var("w", Nd4j.createFromArray(w).reshape(3, 3, 3, 8));
        INDArray y = sd.cnn().conv2d(in, kernel, Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.SAME).dataFormat(Conv2DConfig.NCHW).build()).eval();
        double sum = y.sumNumber().doubleValue();
        double squares = y.mul(y).sumNumber().doubleValue();
        System.out.println("build-info: " + NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().trim().replace('\n', ' '));
        System.out.println("conv: " + sum + " " + squares);
    }
}
