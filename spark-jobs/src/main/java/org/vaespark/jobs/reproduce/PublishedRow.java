package org.vaespark.jobs.reproduce;

import com.typesafe.config.Config;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;

/**
 * One published row and the protocol that reproduces it, read from {@code conf/experiments/reproduce/<row>.conf}
 * (its {@code reproduce.*} keys, and the training budget the paper used: {@code train.epochs} and whether it stops
 * early on the validation split).
 *
 * @param id             the file's name without {@code .conf}, as {@code submit/reproduce.sh <row>} takes it
 * @param title          the row as the published table names it
 * @param published      the published test NLL in nats, with its printed decimals
 * @param source         paper and table
 * @param caveat         where our model or protocol differs from the paper's; null where it matches
 * @param protocolEpochs the paper's training budget in epochs (the most it trains when it stops early)
 * @param earlyStopping  whether the protocol stops early on validation (Tomczak & Welling 2018) rather than running a
 *                       fixed schedule (Burda et al. 2016)
 * @param targetNats     the largest Δ (ours − published) that counts as reproduced; null for rows without a target
 */
public record PublishedRow(String id, String title, BigDecimal published, String source, String caveat,
                           int protocolEpochs, boolean earlyStopping, Double targetNats) {

    /**
     * The rows that issue 9 holds to "within +0.3 nats": VAE (k = 1), VAE + VampPrior, HVAE with the standard, MoG and
     * VampPrior priors (static MNIST; their protocols take hours, not days). Other rows report the Δ they reached.
     */
    static final List<String> TARGET_ROWS = List.of("vae-k1", "vae-vampprior", "hvae-standard", "hvae-mog", "hvae-vampprior");
    static final double TARGET_NATS = 0.3;

    /** Reads the row of {@code file}; a file without {@code reproduce.title} and {@code reproduce.published-nll} is refused. */
    public static PublishedRow read(Path file) {
        Config c = Settings.load(List.of(file.toString()), List.of()).config();
        String id = file.getFileName().toString().replaceFirst("\\.conf$", "");
        String title = Keys.optionalString(c, "reproduce.title");
        if (title == null || c.getIsNull("reproduce.published-nll")) {
            throw Errors.badConfigValue("reproduce.title / reproduce.published-nll", "null",
                    "both set in " + file + ": it is a reproduction row only with the published row's title and value");
        }
        boolean early = !c.getIsNull("train.early-stopping.patience-epochs");
        return new PublishedRow(id, title, new BigDecimal(c.getString("reproduce.published-nll")),
                Keys.optionalString(c, "reproduce.source"), Keys.optionalString(c, "reproduce.caveat"),
                c.getInt("train.epochs"), early, TARGET_ROWS.contains(id) ? TARGET_NATS : null);
    }
}
