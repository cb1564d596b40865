package org.vaespark.jobs.dl4j;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;

/**
 * Moves parameters and Adam moments between a {@link ComputationGraph} holding one
 * {@link Dl4jVaeLayer} and our checkpoint form ({@link NamedArrays}, {@link AdamState}), so a
 * DL4J-trained model is written, evaluated and resumed like any other. DL4J keeps all parameters
 * of the layer in one flat view and, for one Adam block, its state as [m | v] over that view.
 */
public final class Dl4jState {
    private Dl4jState() {
    }

    /** Loads parameters and Adam state (moments and step count) into the network. */
    public static void load(ComputationGraph net, String layer, NamedArrays params, AdamState adam) {
        Map<String, INDArray> table = net.getLayer(layer).paramTable();
        INDArray m = moments(net, 0);
        INDArray v = moments(net, 1);
        for (Map.Entry<String, Long> e : offsets(net, layer).entrySet()) {
            INDArray p = table.get(e.getKey());
            String name = Dl4jVaeLayer.name(e.getKey());
            p.assign(params.toNd4j(name).reshape(p.shape()));
            long from = e.getValue();
            m.get(NDArrayIndex.interval(from, from + p.length())).assign(adam.m().toNd4j(name).reshape(p.length()));
            v.get(NDArrayIndex.interval(from, from + p.length())).assign(adam.v().toNd4j(name).reshape(p.length()));
        }
        net.getConfiguration().setIterationCount((int) adam.step());
    }

    /** A copy of the network's parameters under the model's names. */
    public static NamedArrays parameters(ComputationGraph net, String layer) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        net.getLayer(layer).paramTable().forEach((k, p) -> out.put(Dl4jVaeLayer.name(k), p.dup('c')));
        return NamedArrays.fromNd4j(out);
    }

    /** A copy of the network's Adam state; the step is DL4J's iteration count. */
    public static AdamState adam(ComputationGraph net, String layer) {
        Map<String, INDArray> table = net.getLayer(layer).paramTable();
        INDArray m = moments(net, 0);
        INDArray v = moments(net, 1);
        Map<String, INDArray> ms = new LinkedHashMap<>();
        Map<String, INDArray> vs = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : offsets(net, layer).entrySet()) {
            INDArray p = table.get(e.getKey());
            long from = e.getValue();
            ms.put(Dl4jVaeLayer.name(e.getKey()), m.get(NDArrayIndex.interval(from, from + p.length())).dup('c').reshape(p.shape()));
            vs.put(Dl4jVaeLayer.name(e.getKey()), v.get(NDArrayIndex.interval(from, from + p.length())).dup('c').reshape(p.shape()));
        }
        return new AdamState(NamedArrays.fromNd4j(ms), NamedArrays.fromNd4j(vs), net.getConfiguration().getIterationCount());
    }

    /** Offset of every parameter in the flat parameter view, checked against the views DL4J hands out. */
    private static Map<String, Long> offsets(ComputationGraph net, String layer) {
        Map<String, Long> out = new LinkedHashMap<>();
        INDArray flat = net.params();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : net.getLayer(layer).paramTable().entrySet()) {
            if (e.getValue().offset() - flat.offset() != offset) {
                throw new IllegalStateException("DL4J parameter " + e.getKey() + " is not at flat offset " + offset);
            }
            out.put(e.getKey(), offset);
            offset += e.getValue().length();
        }
        if (offset != flat.length()) {
            throw new IllegalStateException("the network holds " + flat.length() + " parameters, the VAE layer " + offset);
        }
        return out;
    }

    /** Adam's first (0) or second (1) moments over the flat parameters: DL4J's state view is [m | v]. */
    private static INDArray moments(ComputationGraph net, int which) {
        INDArray state = net.getUpdater().getStateViewArray();
        long n = net.params().length();
        if (state.length() != 2 * n || state.rank() > 2 || state.rank() == 2 && state.size(0) != 1) {
            throw new IllegalStateException("expected one Adam block of " + 2 * n + " values, DL4J holds "
                    + java.util.Arrays.toString(state.shape()));
        }
        return state.rank() == 1 ? state.get(NDArrayIndex.interval(which * n, (which + 1) * n))
                : state.get(NDArrayIndex.point(0), NDArrayIndex.interval(which * n, (which + 1) * n));
    }
}
