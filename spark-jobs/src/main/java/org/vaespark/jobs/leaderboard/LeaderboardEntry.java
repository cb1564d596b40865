package org.vaespark.jobs.leaderboard;

import java.math.BigDecimal;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.ExampleSubset;
import org.vaespark.jobs.eval.MetricValue;

/**
 * One line of a leaderboard table, either {@link Kind#REPRODUCED} (our evaluation, a
 * {@link ResultRow}) or {@link Kind#REPORTED} (a {@link PublishedResult}, as published). A null
 * field is a value that does not exist for this line (e.g. the wall time of a published model)
 * and is rendered as an empty CSV cell or "—", never as 0.
 *
 * @param estimator          "IWAE-5000", "ELBO", or null where the source does not state it
 * @param metric             {@value ResultSchema#METRIC_IWAE} | {@value ResultSchema#METRIC_ELBO}, or null where not stated
 * @param estimatorK         k of the estimator (samples per example), or null where not stated
 * @param nll                NLL = −log p(x): −mean in nats for ours (full precision), the printed value for reported rows
 * @param upperBound         true where the source prints "≤"
 * @param stderrNote         why {@code stderr} is missing ("not published", "not computed"), else null
 * @param checkpointOrSource our checkpoint path (user-info redacted) or the citation
 * @param bitsPerDim         ours: bits/dim of the same estimate (docs/math.md, Evaluation protocol), null where not defined
 * @param bitsPerDimNote     ours: which bits/dim formula, or why there is none
 * @param executor           ours: the executor that evaluated it ("cpu", "graph"); null where not recorded or published
 * @param selection          ours: which examples of the split were evaluated ("all", "hash-subset n=1000 seed=21");
 *                           null where not recorded or published
 * @param amortizationGap    ours: the checkpoint's amortization gap ELBO(q*) − ELBO(q_φ) (Cremer, Li &amp; Duvenaud 2018)
 *                           on this split, or absent with its reason; null where the diagnostic did not run
 * @param multimodal         ours: an MVAE checkpoint's {@code multimodal} figures on this split (Wu &amp; Goodman 2018);
 *                           null where the diagnostic did not run
 */
public record LeaderboardEntry(
        Kind kind,
        String model,
        String qualifier,
        String estimator,
        String metric,
        Integer estimatorK,
        BigDecimal nll,
        boolean upperBound,
        String unit,
        Double stderr,
        String stderrNote,
        Long n,
        Long seed,
        Long parameters,
        Long examplesSeen,
        Double trainWallSeconds,
        Double evalWallSeconds,
        String checkpointOrSource,
        Double bitsPerDim,
        String bitsPerDimNote,
        String executor,
        String selection,
        MetricValue amortizationGap,
        MultimodalFigures multimodal) {

    /** Where a line comes from; the two kinds are never mixed in one section. */
    public enum Kind {
        /** Evaluated by this project with the protocol of docs/math.md (Evaluation protocol). */
        REPRODUCED("reproduced"),
        /** As published, not re-run here. */
        REPORTED("reported");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Our result: NLL = −mean in nats, with its standard error. */
    public static LeaderboardEntry reproduced(ResultRow r) {
        return reproduced(r, null);
    }

    /** Our result with its checkpoint's amortization gap on the same split (null where the diagnostic did not run). */
    public static LeaderboardEntry reproduced(ResultRow r, MetricValue amortizationGap) {
        return reproduced(r, amortizationGap, null);
    }

    /** As {@link #reproduced(ResultRow, MetricValue)}, with the checkpoint's MVAE figures (null where not evaluated). */
    public static LeaderboardEntry reproduced(ResultRow r, MetricValue amortizationGap, MultimodalFigures multimodal) {
        Double stderr = Double.isNaN(r.stderr()) ? null : r.stderr();
        String note = stderr != null ? null : r.n() == 1 ? "undefined for n = 1" : "not computed";
        return new LeaderboardEntry(Kind.REPRODUCED, r.model(), r.benchmark().qualifier(), r.estimatorLabel(),
                r.metric(), r.estimatorK(), BigDecimal.valueOf(r.nll()), false, PublishedResult.NATS, stderr, note, r.n(), r.seed(),
                r.parameters(), r.examplesSeen(), r.trainWallSeconds(), r.evalWallSeconds(),
                Errors.redact(r.checkpoint()), r.bitsPerDim(), r.note() == null ? "not recorded for this row" : r.note(),
                r.executor(), r.selection(), amortizationGap, multimodal);
    }

    /** True for our rows on part of the split: they stand apart from the full-split rows and the published numbers. */
    public boolean partial() {
        return kind == Kind.REPRODUCED && selection != null && !selection.equals(ExampleSubset.ALL);
    }

    /** What the n column adds for our rows: the subset, or that the selection was not recorded; null for a whole split. */
    public String selectionNote() {
        if (kind != Kind.REPRODUCED || ExampleSubset.ALL.equals(selection)) {
            return null;
        }
        return selection == null ? "selection not recorded" : selection;
    }

    /** A published number, as printed; everything the source does not give is absent. */
    public static LeaderboardEntry reported(PublishedResult p) {
        return new LeaderboardEntry(Kind.REPORTED, p.model(), p.benchmark().qualifier(), p.estimatorLabel(),
                p.estimator(), p.estimatorK(), p.value(), p.isUpperBound(), p.unit(), null, "not published", null, null, null, null, null, null,
                p.source(), null, null, null, null, null, null);
    }
}
