package org.vaespark.jobs.dl4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.samediff.ModelGraph;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The VAE as one DL4J {@link SameDiffOutputLayer}: {@code defineLayer} builds the very graph of
 * {@link ModelGraph#define} (Kingma &amp; Welling 2014) over DL4J's placeholders, with the
 * parameters of the model's {@link ParameterLayout} under their own names.
 *
 * <p>DL4J feeds an output layer exactly two arrays, the features and the labels. The features
 * are x [B, D]; the labels carry what the graph needs besides x, [B, S * n + 1]: the standard
 * normal noise of example b for samples 0..S-1 (row-major [S, n], drawn on the driver by
 * {@code NoiseSource}: the SameDiff RandomNormal op returns the same draw on every call) and the
 * KL weight beta in the last column. The layer returns the minibatch SUM of the loss, DL4J's
 * convention (its score divides by B and its updater divides the gradient by B), so the
 * parameters get the gradient of the mean loss, as in the SameDiff engine.
 *
 * <p>DL4J splits gradient keys "layer_param" at the LAST underscore, so a parameter key must
 * hold none: the layer's keys are the model's names with '_' written as '-' ({@link #key}), and
 * the graph reads each one through an identity op under the model's own name.
 *
 * <p>The configuration travels as JSON between driver and executors: the model is held as the
 * Base64 Java serialization of its {@link VaeConfig}.
 */
public final class Dl4jVaeLayer extends SameDiffOutputLayer {
    /** Name of the summed loss the layer returns. */
    public static final String TOTAL_LOSS = "dl4j_total_loss";

    private String modelConfig;
    private int samples;
    private long initSeed;
    private transient VaeConfig config;

    private Dl4jVaeLayer() {
        // for DL4J's JSON (de)serialisation
    }

    /**
     * @param model    the model (its layout names the layer's parameters)
     * @param samples  Monte-Carlo samples S of z per example
     * @param initSeed seed of {@link ParameterLayout#initialise} when DL4J initialises the layer
     */
    public Dl4jVaeLayer(VaeConfig model, int samples, long initSeed) {
        this.modelConfig = encode(model);
        this.samples = samples;
        this.initSeed = initSeed;
        this.config = model;
    }

    /** The model this layer computes. */
    public VaeConfig model() {
        if (config == null) {
            config = decode(modelConfig);
        }
        return config;
    }

    /** Width of the label rows: S * noiseDim noise values and beta. */
    public int labelWidth() {
        return samples * model().noiseDim() + 1;
    }

    public int getSamples() {
        return samples;
    }

    public String getModelConfig() {
        return modelConfig;
    }

    public long getInitSeed() {
        return initSeed;
    }

    /** The DL4J parameter key of a model parameter. */
    public static String key(String name) {
        if (name.indexOf('-') >= 0) {
            throw new IllegalStateException("parameter name " + name + " holds '-', which the DL4J layer uses for '_'");
        }
        return name.replace('_', '-');
    }

    /** The model parameter of a DL4J parameter key. */
    public static String name(String key) {
        return key.replace('-', '_');
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        for (Map.Entry<String, long[]> e : ModelDescription.layout(model()).shapes().entrySet()) {
            params.addWeightParam(key(e.getKey()), e.getValue());
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        NamedArrays init = ModelDescription.layout(model()).initialise(initSeed);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            e.getValue().assign(init.toNd4j(name(e.getKey())).castTo(e.getValue().dataType()).reshape(e.getValue().shape()));
        }
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, SDVariable labels, Map<String, SDVariable> paramTable) {
        VaeConfig c = model();
        int n = c.noiseDim();
        DataType dtype = layerInput.dataType();
        for (Map.Entry<String, SDVariable> e : paramTable.entrySet()) {
            sd.identity(name(e.getKey()), e.getValue());
        }
        SDVariable noise = sd.slice(labels, new int[]{0, 0}, -1, samples * n);
        SDVariable eps = sd.permute(sd.reshape(noise, -1, samples, n), 1, 0, 2);
        SDVariable beta = sd.slice(labels, new int[]{0, samples * n}, -1, 1).mean();
        SDVariable loss = ModelGraph.define(new Graph(sd, c, dtype, layerInput, eps, beta));
        SDVariable batch = sd.sizeAt(layerInput, 0).castTo(dtype);
        SDVariable total = loss.mul(TOTAL_LOSS, batch);
        sd.setLossVariables(TOTAL_LOSS);
        return total;
    }

    /** DL4J's activations of this layer are its input: the model's outputs need the noise, which only training feeds. */
    @Override
    public String activationsVertexName() {
        return org.deeplearning4j.nn.layers.samediff.SameDiffOutputLayer.INPUT_KEY;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    private static String encode(VaeConfig c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static VaeConfig decode(String s) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(s)))) {
            return (VaeConfig) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
