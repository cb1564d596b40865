package org.vaespark.core.model.flow;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;

/**
 * L amortised planar flows (Rezende &amp; Mohamed 2015, Sec. 4.1 and App. A.1): per example the
 * encoder features give u, w [B, d] and b [B] for every step (dense heads {@code planar_<k>_u},
 * {@code planar_<k>_w}, {@code planar_<k>_b}), and f(z) = z + û tanh(wᵀz + b) with
 * log|det df/dz| = log|1 + ûᵀψ(z)|, ψ(z) = tanh'(wᵀz + b) w. Invertibility is enforced as in
 * App. A.1: û = u + (m(wᵀu) − wᵀu) w / ‖w‖², m(a) = −1 + softplus(a), so that wᵀû = m(wᵀu) > −1.
 */
public final class PlanarFlow implements PosteriorFlow {
    private final int dim;
    private final int contextWidth;
    private final int length;

    public PlanarFlow(int dim, int contextWidth, int length) {
        this.dim = dim;
        this.contextWidth = contextWidth;
        this.length = length;
    }

    @Override
    public void declare(ParameterLayout p) {
        for (int k = 0; k < length; k++) {
            p.dense(name(k, "u"), contextWidth, dim);
            p.dense(name(k, "w"), contextWidth, dim);
            p.dense(name(k, "b"), contextWidth, 1);
        }
    }

    @Override
    public FlowResult apply(Graph g, SDVariable z0, SDVariable context) {
        SameDiff sd = g.sd();
        SDVariable z = z0;
        SDVariable logDet = null;
        for (int k = 0; k < length; k++) {
            SDVariable u = g.dense(context, name(k, "u"));
            SDVariable w = g.dense(context, name(k, "w"));
            SDVariable b = g.dense(context, name(k, "b"));                       // [B, 1]
            SDVariable uHat = constrain(g, u, w, dim);
            SDVariable a = sd.expandDims(g.sumLast(z.mul(w), 2, dim), 2).add(b);  // [S, B, 1]
            SDVariable t = sd.math.tanh(a);
            z = z.add(t.mul(uHat));
            SDVariable wu = sd.expandDims(g.sumLast(w.mul(uHat), 1, dim), 1);     // [B, 1]
            SDVariable slope = t.mul(t).rsub(1.0);                               // tanh'(a)
            SDVariable step = sd.squeeze(sd.math.log(sd.math.abs(slope.mul(wu).add(1.0))), 2);
            logDet = logDet == null ? step : logDet.add(step);
        }
        return new FlowResult(z, logDet);
    }

    /** û = u + (m(wᵀu) − wᵀu) w / ‖w‖² with m(a) = −1 + softplus(a), per row of u, w [N, d]. */
    public static SDVariable constrain(Graph g, SDVariable u, SDVariable w, int dim) {
        SameDiff sd = g.sd();
        SDVariable wu = sd.expandDims(g.sumLast(w.mul(u), 1, dim), 1);
        SDVariable ww = sd.expandDims(g.sumLast(w.mul(w), 1, dim), 1);
        SDVariable m = g.softplus(wu).sub(1.0);
        return u.add(w.mul(m.sub(wu).div(ww)));
    }

    private static String name(int k, String what) {
        return "planar_" + k + "_" + what;
    }
}
