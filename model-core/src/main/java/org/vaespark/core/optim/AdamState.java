package org.vaespark.core.optim;

import java.io.Serializable;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Adam's state (Kingma &amp; Ba 2015): first and second moments per parameter and the number of
 * updates taken, which sets the bias correction.
 */
public record AdamState(NamedArrays m, NamedArrays v, long step) implements Serializable {

    /** Zero moments for the given parameters, at step 0. */
    public static AdamState zeros(NamedArrays params) {
        return new AdamState(params.zerosLike(), params.zerosLike(), 0);
    }
}
