package org.vaespark.core.model;

/**
 * How q(z_1..z_K | x) of a K-layer hierarchical VAE is factorised ({@code model.hierarchy.inference}),
 * the three ways of the course notes (docs/math.md, "K-layer hierarchical VAE").
 */
public enum HierarchyInference {
    /**
     * q(z_K|x) prod_{k<K} q(z_k | x, z_{k+1:K}), each conditional with its own network; with K = 2
     * Tomczak &amp; Welling's (2018) HVAE.
     */
    TOP_DOWN,
    /**
     * q(z_1|x) prod_{k>1} q(z_k | x, z_{1:k-1}); with the Markovian generative model q(z_k|z_{k-1}), and
     * with K = 2 the two-layer model of Burda et al. (2016).
     */
    BOTTOM_UP,
    /**
     * A deterministic bottom-up pass over x whose features are combined with the generative top-down path,
     * which q shares: q(z_k | x, z_{k+1:K}) reads the hidden state of the network of p(z_k | z_{k+1:K})
     * (Kingma et al. 2016; NVAE, Vahdat &amp; Kautz 2020; VDVAE, Child 2021).
     */
    BIDIRECTIONAL
}
