package org.vaespark.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderboardTablesTest {
    private static final List<PublishedResult> PUBLISHED = PublishedResults.loadDefault();

    private static final ResultRow VAMP = TestRows.withSelection(TestRows.staticIwae("vamp", -84.5, "2024-05-01T10:00:00Z"),
            10000, "all");
    private static final ResultRow PLAIN_OLD = TestRows.staticIwae("plain", -88.0, "2024-05-01T10:00:00Z");
    private static final ResultRow PLAIN_RERUN = TestRows.staticIwae("plain", -87.254, "2024-05-02T09:00:00+02:00");
    private static final ResultRow PLAIN_OLDEST = TestRows.staticIwae("plain", -90.0, "2024-04-30T00:00:00Z");
    private static final ResultRow VALID_SPLIT = TestRows.withSplit(
            TestRows.staticIwae("vamp", -83.0, "2024-05-01T10:00:00Z"), "valid");
    private static final ResultRow DYNAMIC = new ResultRow("mnist", "dynamic", null, "dyn",
            "s3a://KEY:SECRET@bucket/runs/dyn/ckpt-20", 20L, "test", "elbo", 1, -86.0, Double.NaN, 10000L, 7L,
            "VAE, 2 layers", 1_000L, 60_000L, null, 30.0, "2024-05-03T00:00:00Z", null, null, "graph");

    private static final List<ResultRow> RESULTS = List.of(VAMP, PLAIN_OLD, PLAIN_RERUN, PLAIN_OLDEST, VALID_SPLIT, DYNAMIC);

    private final LeaderboardTables board = LeaderboardTables.build(RESULTS, PUBLISHED);

    private DatasetTable table(String slug) {
        return board.tables().stream().filter(t -> t.benchmark().slug().equals(slug)).findFirst().orElseThrow();
    }

    @Test
    void keepsOnlyTheLatestEvaluationPerKey() {
        List<ResultRow> latest = LeaderboardTables.latestOnly(RESULTS);
        assertEquals(List.of(VAMP, PLAIN_RERUN, VALID_SPLIT, DYNAMIC), latest);
        ResultRow sameTime = TestRows.withSelection(TestRows.staticIwae("vamp", -84.0, "2024-05-01T12:00:00+02:00"), 10000, "all");
        assertEquals(List.of(sameTime), LeaderboardTables.latestOnly(List.of(VAMP, sameTime)));
    }

    @Test
    void sortsOursByNllAndLeavesOtherSplitsOut() {
        DatasetTable t = table("binarized-mnist_static");
        assertEquals(List.of("runs/vamp/ckpt-1000", "runs/plain/ckpt-1000"),
                t.reproduced().stream().map(LeaderboardEntry::checkpointOrSource).toList());
        assertEquals(List.of("84.5", "87.254"), t.reproduced().stream().map(e -> e.nll().toPlainString()).toList());
        DatasetTable valid = LeaderboardTables.build(RESULTS, PUBLISHED, "valid").tables().get(0);
        assertEquals(1, valid.reproduced().size());
        assertEquals("83.0", valid.reproduced().get(0).nll().toPlainString());
    }

    @Test
    void placesPublishedRowsBesideTheMatchingBinarization() {
        assertEquals(List.of("binarized-mnist_static", "mnist_dynamic", "cifar10", "imagenet64_van-den-oord-2016"),
                board.tables().stream().map(t -> t.benchmark().slug()).toList());
        DatasetTable stat = table("binarized-mnist_static");
        DatasetTable dyn = table("mnist_dynamic");
        assertEquals(9, stat.reported().size());
        assertEquals(6, dyn.reported().size());
        assertTrue(stat.reported().stream().allMatch(e -> e.qualifier().equals("static")));
        assertTrue(dyn.reported().stream().allMatch(e -> e.qualifier().equals("dynamic")));
        assertEquals(List.of("VAE, 2 layers"), dyn.reproduced().stream().map(LeaderboardEntry::model).toList());
        assertEquals(2, table("imagenet64_van-den-oord-2016").reported().size());
    }

    @Test
    void reproducedAndReportedAreSeparateSections() {
        for (DatasetTable t : board.tables()) {
            assertTrue(t.reproduced().stream().allMatch(e -> e.kind() == LeaderboardEntry.Kind.REPRODUCED));
            assertTrue(t.reported().stream().allMatch(e -> e.kind() == LeaderboardEntry.Kind.REPORTED));
        }
        String md = table("binarized-mnist_static").toMarkdown();
        int reproducedHeading = md.indexOf("### Reproduced");
        int reportedHeading = md.indexOf("### Reported");
        assertTrue(reproducedHeading >= 0 && reportedHeading > reproducedHeading);
        String ours = md.substring(reproducedHeading, reportedHeading);
        String theirs = md.substring(reportedHeading);
        assertFalse(ours.contains("| reported |"));
        assertFalse(theirs.contains("| reproduced |"));
        List<String> kinds = table("binarized-mnist_static").toCsv().lines().skip(1)
                .map(l -> l.substring(0, l.indexOf(','))).toList();
        assertEquals(2, kinds.stream().takeWhile("reproduced"::equals).count());
        assertTrue(kinds.stream().skip(2).allMatch("reported"::equals));
    }

    @Test
    void rowsOnPartOfTheSplitStandApartFromFullSplitAndPublishedRowsAndSaySo() {
        String subset = "hash-subset n=1000 seed=21";
        ResultRow quick = TestRows.withSelection(TestRows.staticIwae("quick", -100.0, "2024-05-04T00:00:00Z"), 1000, subset);
        ResultRow vampSubsetLater = TestRows.withSelection(TestRows.staticIwae("vamp", -84.9, "2024-06-01T00:00:00Z"), 1000, subset);
        assertEquals(List.of(VAMP, quick, vampSubsetLater), LeaderboardTables.latestOnly(List.of(VAMP, quick, vampSubsetLater)),
                "a later evaluation on a subset does not hide the whole-split one");
        DatasetTable t = LeaderboardTables.build(List.of(VAMP, quick, vampSubsetLater), PUBLISHED).tables().get(0);
        assertEquals(List.of("runs/vamp/ckpt-1000"), t.fullSplit().stream().map(LeaderboardEntry::checkpointOrSource).toList());
        assertEquals(List.of("runs/vamp/ckpt-1000", "runs/quick/ckpt-1000"),
                t.partialSplit().stream().map(LeaderboardEntry::checkpointOrSource).toList());
        String md = t.toMarkdown();
        int full = md.indexOf("### Reproduced\n");
        int partial = md.indexOf("### Reproduced on part of the test split: a fixed hash subset");
        int reported = md.indexOf("### Reported");
        assertTrue(full >= 0 && partial > full && reported > partial, md);
        assertFalse(md.substring(full, partial).contains("runs/quick"), "no subset row beside the full-split rows");
        assertFalse(md.substring(reported).contains("| reproduced |"));
        assertTrue(md.substring(partial, reported).contains("| 1,000 (" + subset + ") |"), md);
        assertTrue(md.substring(full, partial).contains("| 10,000 | 12345 |"), "a whole-split row is unmarked");
        assertTrue(t.toCsv().lines().anyMatch(l -> l.contains("runs/quick/ckpt-1000") && l.contains("," + subset + ",")), t.toCsv());
        String html = LeaderboardPage.render(LeaderboardTables.build(List.of(VAMP, quick), PUBLISHED), List.of());
        assertTrue(html.contains("<tbody class=\"partial\">"), "the page gives subset rows their own group");
        assertTrue(html.contains("(" + subset + ")"), "and marks their n");
    }

    @Test
    void markdownHasExactLines() {
        List<String> lines = board.toMarkdown().lines().toList();
        assertEquals("# Leaderboard", lines.get(0));
        assertTrue(lines.contains("## MNIST, static binarization (binarized-mnist)"));
        assertTrue(lines.contains("## MNIST, dynamic binarization (mnist)"));
        assertTrue(lines.contains("## ImageNet 64x64, version van-den-oord-2016 (imagenet64)"));
        assertTrue(lines.contains("NLL = −log p(x) in nats (bits/dim where the unit column says so), lower is better. "
                + "IWAE-k: importance-weighted estimate with k samples (Burda et al. 2016); "
                + "ELBO: evidence lower bound, so its NLL is an upper bound; ≤: upper bound as printed by the source. "
                + "\"reproduced\" = evaluated here on the test split; "
                + "\"reported\" = as published, not re-run here; — = not available."));
        assertTrue(lines.contains("| kind | model | binarization | estimator | NLL | unit | ± s.e. | bits/dim | amortization gap | multimodal (MVAE) | n | seed | parameters "
                + "| examples seen | train wall (s) | eval wall (s) | checkpoint |"));
        assertTrue(lines.contains("| reproduced | VAE MLP 784-300-300-40 bernoulli | static | IWAE-5000 | 84.50 | nats "
                + "| 0.25 | — | — | — | 10,000 | 12345 | 478,064 | 5,000,000 | 3,600.5 | 120.3 | runs/vamp/ckpt-1000 |"));
        assertTrue(lines.contains("| reproduced | VAE, 2 layers | dynamic | ELBO | 86.00 | nats | — (not computed) "
                + "| — | — | — | 10,000 (selection not recorded) | 7 | 1,000 | 60,000 | — | 30.0 | s3a://***@bucket/runs/dyn/ckpt-20 |"));
        assertTrue(lines.contains("| reported | IWAE 2 layers, k=50 | dynamic | IWAE-5000 | 82.90 | nats "
                + "| — (not published) | — | — | — | — | — | — | — | — | — | Burda et al. 2016, Table 1 |"));
        assertTrue(lines.contains("| reported | Hierarchical PixelVAE | van-den-oord-2016 | — | ≤ 3.66 | bits/dim "
                + "| — (not published) | — | — | — | — | — | — | — | — | — | Gulrajani et al. 2017 |"));
        assertTrue(lines.contains("_No reproduced results on the test split yet._"));
        assertFalse(board.toMarkdown().contains("SECRET"));
    }

    @Test
    void csvHasExactLinesAndQuotesCommas() {
        Map<String, String> files = board.toCsv();
        assertEquals(List.of("binarized-mnist_static.csv", "mnist_dynamic.csv", "cifar10.csv",
                "imagenet64_van-den-oord-2016.csv"), List.copyOf(files.keySet()));
        List<String> dyn = files.get("mnist_dynamic.csv").lines().toList();
        assertEquals(8, dyn.size());
        assertEquals("kind,model,binarization_or_version,estimator,nll,bound,unit,stderr,stderr_note,n,seed,parameters,"
                + "examples_seen,train_wall_seconds,eval_wall_seconds,checkpoint_or_source,bits_per_dim,bits_per_dim_note,executor,selection,"
                + "amortization_gap,amortization_gap_stderr,amortization_gap_note,mvae_iwae_modality_0,mvae_iwae_modality_1,"
                + "mvae_label_accuracy,mvae_bottom_mse,mvae_note", dyn.get(0));
        assertEquals("reproduced,\"VAE, 2 layers\",dynamic,ELBO,86.0,,nats,,not computed,10000,7,1000,60000,,30.0,"
                + "s3a://***@bucket/runs/dyn/ckpt-20,,not recorded for this row,graph,,,,,,,,,", dyn.get(1));
        assertEquals("reported,\"IWAE 2 layers, k=50\",dynamic,IWAE-5000,82.90,,nats,,not published,,,,,,,"
                + "\"Burda et al. 2016, Table 1\",,,,,,,,,,,,", dyn.get(5));
        List<String> stat = files.get("binarized-mnist_static.csv").lines().toList();
        assertEquals(12, stat.size());
        assertEquals("reproduced,VAE MLP 784-300-300-40 bernoulli,static,IWAE-5000,84.5,,nats,0.25,,10000,12345,"
                + "478064,5000000,3600.5,120.25,runs/vamp/ckpt-1000,,not recorded for this row,,all,,,,,,,,", stat.get(1));
        assertEquals("reproduced,VAE MLP 784-300-300-40 bernoulli,static,IWAE-5000,87.254,,nats,0.25,,10000,12345,"
                + "478064,5000000,3600.5,120.25,runs/plain/ckpt-1000,,not recorded for this row,,,,,,,,,,", stat.get(2));
        assertEquals("reported,HVAE (L=2) + standard prior,static,IWAE-5000,85.89,,nats,,not published,,,,,,,"
                + "Tomczak & Welling 2018,,,,,,,,,,,,", stat.get(3));
        assertEquals("reported,Hierarchical PixelVAE,van-den-oord-2016,,3.66,upper,bits/dim,,not published,,,,,,,"
                + "Gulrajani et al. 2017,,,,,,,,,,,,", files.get("imagenet64_van-den-oord-2016.csv").lines().toList().get(1));
        for (String csv : files.values()) {
            for (String line : csv.lines().skip(1).toList()) {
                assertEquals(DatasetTable.CSV_HEADER.size(), Csv.parseLine(line).size(), line);
                assertFalse(Csv.parseLine(line).contains("0"), "no placeholder zero: " + line);
            }
        }
    }

    @Test
    void theTwoImageNetVersionsAreNeverComparedInOneTable() {
        ResultRow pickles = new ResultRow("imagenet64", "none", "chrabaszcz-2017", "in64", "runs/in64/ckpt-9", 9L, "test", "elbo", 1,
                -12000.0, 20.0, 100L, 1L, "VAE conv", 100L, 10L, 1.0, 1.0, "2024-05-01T10:00:00Z");
        LeaderboardTables b = LeaderboardTables.build(List.of(pickles), PUBLISHED);
        DatasetTable chrabaszcz = b.tables().stream().filter(t -> t.benchmark().slug().equals("imagenet64_chrabaszcz-2017"))
                .findFirst().orElseThrow();
        assertEquals(1, chrabaszcz.reproduced().size());
        assertTrue(chrabaszcz.reported().isEmpty(), "the published van den Oord numbers must not sit beside Chrabaszcz results");
        DatasetTable vanDenOord = b.tables().stream().filter(t -> t.benchmark().slug().equals("imagenet64_van-den-oord-2016"))
                .findFirst().orElseThrow();
        assertTrue(vanDenOord.reproduced().isEmpty());
        assertEquals(2, vanDenOord.reported().size());
    }

    @Test
    void ourOwnBenchmarkWithoutPublishedNumbersGetsItsOwnTable() {
        ResultRow grey = new ResultRow("mnist", "none", null, "gauss", "runs/gauss/ckpt-1", 1L, "test", "iwae", 5000,
                -700.0, 1.5, 100L, 1L, "Gaussian VAE", 100L, 10L, 1.0, 1.0, "2024-05-01T10:00:00Z");
        LeaderboardTables b = LeaderboardTables.build(List.of(grey), PUBLISHED);
        DatasetTable t = b.tables().get(2);
        assertEquals("MNIST, grey levels, no binarization (mnist)", t.benchmark().title());
        assertEquals(1, t.reproduced().size());
        assertTrue(t.reported().isEmpty());
        assertTrue(t.toMarkdown().contains("_No published reference numbers for this benchmark._"));
    }
}
