package org.vaespark.core.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD form of {@link BoxMuller} (Box &amp; Muller 1958), loaded only when the JVM has the incubating
 * Vector API: the same fdlibm polynomials, the same operations in the same order, so the same bits.
 */
final class BoxMullerVectors {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private BoxMullerVectors() {
    }

    /** {@link BoxMuller#transform} on whole vectors, the same operations in the same order; returns where the scalar tail starts. */
    static int boxMuller(double[] u1, double[] u2, double[] cos, double[] sin, int n) {
        int bound = D.loopBound(n);
        for (int i = 0; i < bound; i += D.length()) {
            DoubleVector r = log(DoubleVector.fromArray(D, u1, i)).mul(-2.0).lanewise(VectorOperators.SQRT);
            DoubleVector t = DoubleVector.fromArray(D, u2, i).mul(4.0);
            DoubleVector q = t.add(BoxMuller.ROUND).sub(BoxMuller.ROUND);
            DoubleVector x = t.sub(q).mul(BoxMuller.PIO2);
            DoubleVector z = x.mul(x);
            DoubleVector sr = z.mul(BoxMuller.S[5]).add(BoxMuller.S[4]).mul(z).add(BoxMuller.S[3]).mul(z).add(BoxMuller.S[2]).mul(z).add(BoxMuller.S[1]);
            DoubleVector sx = x.add(z.mul(x).mul(sr.mul(z).add(BoxMuller.S[0])));
            DoubleVector cr = z.mul(z.mul(z.mul(z.mul(z.mul(z.mul(BoxMuller.C[5]).add(BoxMuller.C[4])).add(BoxMuller.C[3])).add(BoxMuller.C[2]))
                    .add(BoxMuller.C[1])).add(BoxMuller.C[0]));
            DoubleVector cx = DoubleVector.broadcast(D, 1.0).sub(z.mul(0.5).sub(z.mul(cr)));
            VectorMask<Double> swap = q.compare(VectorOperators.EQ, 1.0).or(q.compare(VectorOperators.EQ, 3.0));
            DoubleVector c = cx.blend(sx, swap);
            DoubleVector s = sx.blend(cx, swap);
            c = c.blend(c.neg(), q.compare(VectorOperators.GT, 0.5).and(q.compare(VectorOperators.LT, 2.5)));
            s = s.blend(s.neg(), q.compare(VectorOperators.GT, 1.5).and(q.compare(VectorOperators.LT, 3.5)));
            r.mul(c).intoArray(cos, i);
            r.mul(s).intoArray(sin, i);
        }
        return bound;
    }

    /** {@link BoxMuller#log} on a vector. */
    private static DoubleVector log(DoubleVector x) {
        LongVector bits = x.reinterpretAsLongs();
        DoubleVector k = bits.lanewise(VectorOperators.LSHR, 52).add(BoxMuller.EXPONENT_BITS).reinterpretAsDoubles().sub(BoxMuller.EXPONENT_BIAS);
        DoubleVector m = bits.and(BoxMuller.MANTISSA).or(BoxMuller.ONE_BITS).reinterpretAsDoubles();
        VectorMask<Double> high = m.compare(VectorOperators.GT, BoxMuller.SQRT2);
        m = m.blend(m.mul(0.5), high);
        k = k.blend(k.add(1.0), high);
        DoubleVector f = m.sub(1.0);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector w = z.mul(z);
        double[] lg = BoxMuller.LG;
        DoubleVector t1 = w.mul(w.mul(w.mul(lg[5]).add(lg[3])).add(lg[1]));
        DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(lg[6]).add(lg[4])).add(lg[2])).add(lg[0]));
        DoubleVector r = t2.add(t1);
        DoubleVector hfsq = f.mul(0.5).mul(f);
        return k.mul(BoxMuller.LN2_HI).sub(hfsq.sub(s.mul(hfsq.add(r)).add(k.mul(BoxMuller.LN2_LO))).sub(f));
    }
}
