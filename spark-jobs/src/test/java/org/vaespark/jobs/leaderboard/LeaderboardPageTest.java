package org.vaespark.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The static HTML page and the training-curve PNGs, without a browser (see LeaderboardPageBrowserTest). */
class LeaderboardPageTest {
    private static final String EVIL = "<script>alert('x')</script> & \"VAE\"";
    private static final ResultRow VAMP = TestRows.staticIwae("vamp", -84.5, "2024-05-01T10:00:00Z");
    private static final ResultRow EVIL_ROW = new ResultRow("binarized-mnist", "static", null, "evil",
            "runs/evil/ckpt-1&<b>", 10L, "test", "elbo", 1, -99.125, Double.NaN, 500L, 3L, EVIL, 1_000L, 20_000L,
            null, 12.0, "2024-05-01T11:00:00Z");
    private static final ResultRow DYNAMIC = new ResultRow("mnist", "dynamic", null, "dyn", "runs/dyn/ckpt-20", 20L,
            "test", "elbo", 1, -86.0, Double.NaN, 10000L, 7L, "VAE, 2 layers", 1_000L, 60_000L, null, 30.0,
            "2024-05-03T00:00:00Z");
    private static final LeaderboardTables BOARD = LeaderboardTables.build(List.of(VAMP, EVIL_ROW, DYNAMIC),
            PublishedResults.loadDefault());
    private static final String HTML = LeaderboardPage.render(BOARD,
            List.of(Figure.of("vamp", "Samples <&>", "figures/vamp samples.png"),
                    Figure.absent("dyn", "Reconstructions", "not rendered: no checkpoint")));

    @Test
    void escapesEveryTextAndAttribute() {
        assertFalse(HTML.contains("<script>alert"), "raw markup from a model name reached the page");
        assertTrue(HTML.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;VAE&quot;"));
        assertTrue(HTML.contains("runs/evil/ckpt-1&amp;&lt;b&gt;"));
        assertTrue(HTML.contains("alt=\"Samples &lt;&amp;&gt;\""));
        assertEquals("&amp;&lt;&gt;&quot;&#39;x", Html.escape("&<>\"'x"));
        assertEquals(1, count(HTML, "<script>"), "only the sorter's own script element");
    }

    @Test
    void reportedRowsAreAGroupOfTheirOwnAfterOursWithTheirCitation() {
        String section = section("binarized-mnist_static");
        int ours = section.indexOf("<tbody class=\"reproduced\">");
        int theirs = section.indexOf("<tbody class=\"reported\">");
        assertTrue(ours >= 0 && theirs > ours, "reproduced group first, then reported");
        String oursBody = section.substring(ours, theirs);
        String theirsBody = section.substring(theirs);
        assertEquals(2, count(oursBody, "<tr class=\"entry reproduced\">"));
        assertEquals(0, count(oursBody, "entry reported"));
        assertEquals(9, count(theirsBody, "<tr class=\"entry reported\">"));
        assertEquals(0, count(theirsBody, "entry reproduced"));
        assertTrue(theirsBody.contains("Burda et al. 2016"), "reported rows carry their citation");
        assertTrue(oursBody.indexOf("runs/vamp/ckpt-1000") < oursBody.indexOf("runs/evil/ckpt-1"), "ours by NLL");
        assertTrue(oursBody.contains(">84.50 ± 0.25<"));
        assertTrue(oursBody.contains("data-sort=\"84.5\""), "sorts by the full-precision NLL");
    }

    @Test
    void absentValuesShowTheirReasonAndNoCellSaysNaNOrNull() {
        List<String> ours = rows("binarized-mnist_static", "reproduced");
        String evil = ours.get(1);
        assertTrue(evil.contains("99.13 <span class=\"why\">(s.e. not computed)</span>"), evil);
        assertTrue(evil.contains("<td class=\"absent\">— <span class=\"why\">not recorded</span></td>"), "train wall");
        assertTrue(evil.contains("<td class=\"absent\">— <span class=\"why\">not recorded for this row</span></td>"),
                "bits/dim of a row written without it: " + evil);
        String cifar = String.join("\n", rows("cifar10", "reported"));
        assertTrue(cifar.contains("published in bits/dim"), "a bits/dim row has no nats value, with the reason");
        assertTrue(cifar.contains(">3.11 <span class=\"why\">(s.e. not published)</span></td>"), cifar);
        assertTrue(section("cifar10").contains("No reproduced results on the test split yet."));
        for (String cell : cells(HTML)) {
            for (String bad : List.of("NaN", "null", "Infinity", "undefined")) {
                assertFalse(cell.contains(bad), "cell '" + cell + "' says " + bad);
            }
            assertFalse(cell.isBlank(), "an empty cell: every absent value states its reason");
        }
        assertTrue(HTML.contains("Reconstructions: — <span class=\"why\">not rendered: no checkpoint</span>"));
        assertTrue(HTML.contains("<img src=\"figures/vamp samples.png\""));
    }

    @Test
    void figurePathsMustBeRelative() {
        for (String bad : List.of("http://example.com/a.png", "/etc/a.png", "../a.png", "a/../../b.png", "C:\\a.png")) {
            assertThrows(IllegalArgumentException.class, () -> Figure.of("r", "c", bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new Figure("r", "c", "a.png", "and a reason"));
        assertEquals("a-b_c.d-e", Figure.fileStem("a/b_c.d e"));
    }

    @Test
    void curvesDrawTheTrainingTermsPresentAndTheRunsEvaluations() throws IOException {
        List<String> lines = List.of(
                "{\"round\":1,\"examples_seen\":1000,\"train_elbo\":-200.5,\"train_reconstruction\":-190.0,\"train_kl\":10.5}",
                "",
                "{\"round\":2,\"examples_seen\":2000,\"train_elbo\":-150.0,\"train_reconstruction\":-130.0,\"train_kl\":20.0}");
        ResultRow elbo = new ResultRow("binarized-mnist", "static", null, "vamp", "runs/vamp/ckpt-1000", 1000L, "test",
                "elbo", 1, -160.0, 0.5, 100L, 1L, "m", 10L, 2000L, 1.0, 1.0, "2024-05-01T10:00:00Z");
        TrainingCurves.Curves curves = TrainingCurves.series("m.jsonl", lines, List.of(VAMP, elbo));
        assertEquals("training examples seen", curves.xTitle(), "a log without epochs keeps examples seen on x");
        List<TrainingCurves.Series> series = curves.series();
        assertEquals(List.of("train ELBO", "train reconstruction E[log p(x|z)]", "train KL", "test IWAE-5000", "test ELBO"),
                series.stream().map(TrainingCurves.Series::label).toList());
        assertEquals(-130.0, series.get(1).y()[1]);
        assertEquals(5_000_000.0, series.get(3).x()[0]);
        assertEquals(-84.5, series.get(3).y()[0]);
        List<String> oldRun = List.of("{\"examples_seen\":10,\"train_elbo\":-300.0}");
        assertEquals(List.of("train ELBO"), TrainingCurves.series("old.jsonl", oldRun, List.of()).series().stream()
                .map(TrainingCurves.Series::label).toList(), "no KL line for a run that did not log one");
        assertThrows(IllegalArgumentException.class, () -> TrainingCurves.series("bad", List.of("{oops"), List.of()));

        BufferedImage png = ImageIO.read(new ByteArrayInputStream(TrainingCurves.png("vamp", curves)));
        assertNotNull(png, "not a PNG");
        assertEquals(TrainingCurves.WIDTH, png.getWidth());
        assertEquals(TrainingCurves.TOP_HEIGHT + 2 * TrainingCurves.TERM_HEIGHT, png.getHeight(), "reconstruction and KL have panels of their own");
    }

    @Test
    void curvesRunOverEpochsWithTheYAxisOnTheLaterHalfAndTheKlApart() throws IOException {
        List<String> lines = new ArrayList<>();
        // 50,000 examples an epoch, 40 rounds an epoch, 20 epochs: -450 in the first round, then -100 rising to -90.
        for (int r = 1; r <= 800; r++) {
            double epoch = r / 40.0;
            double elbo = r == 1 ? -450 : -90 - 10 * Math.exp(-epoch / 5);
            lines.add(String.format(java.util.Locale.ROOT, "{\"round\":%d,\"epoch\":%s,\"examples_seen\":%d,\"train_elbo\":%s,"
                    + "\"train_reconstruction\":%s,\"train_kl\":%s}", r, epoch, r * 1250, elbo, elbo - 25, 25.0));
        }
        ResultRow test = new ResultRow("binarized-mnist", "static", null, "vamp", "runs/vamp/ckpt-800", 800L, "test",
                "elbo", 1, -91.0, 0.5, 100L, 1L, "m", 10L, 1_000_000L, 1.0, 1.0, "2024-05-01T10:00:00Z");
        TrainingCurves.Curves curves = TrainingCurves.series("m.jsonl", lines, List.of(test));
        assertEquals("epoch", curves.xTitle());
        TrainingCurves.Series elbo = curves.series().get(0);
        assertEquals(TrainingCurves.MAX_POINTS, elbo.x().length, "800 rounds averaged to at most MAX_POINTS points");
        assertEquals(20.0, elbo.x()[elbo.x().length - 1], 0.05);
        TrainingCurves.Series point = curves.series().get(3);
        assertEquals("test ELBO", point.label());
        assertEquals(20.0, point.x()[0], 1e-9, "the evaluation sits at its checkpoint's epoch: 1,000,000 / 50,000");
        assertEquals(List.of(TrainingCurves.Panel.BOUND, TrainingCurves.Panel.RECONSTRUCTION, TrainingCurves.Panel.KL,
                TrainingCurves.Panel.BOUND), curves.series().stream().map(TrainingCurves.Series::panel).toList());

        double[] y = TrainingCurves.zoom(curves.series().stream().filter(s -> s.panel() == TrainingCurves.Panel.BOUND).toList());
        assertTrue(y[0] > -92 && y[0] < -91, "from the later half's lowest ELBO (-91.35), not the first round's -450: " + y[0]);
        assertTrue(y[1] > -90.2 && y[1] < -89, "to its best (-90.18): " + y[1]);
        List<TrainingCurves.Series> withLowPoint = new ArrayList<>(List.of(elbo));
        withLowPoint.add(new TrainingCurves.Series("test ELBO", new double[]{15}, new double[]{-120}, true, TrainingCurves.Panel.BOUND));
        assertTrue(TrainingCurves.zoom(withLowPoint)[0] < -120, "an evaluation of the later half is always in view");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(TrainingCurves.png("vamp", curves)));
        assertEquals(TrainingCurves.TOP_HEIGHT + 2 * TrainingCurves.TERM_HEIGHT, png.getHeight());
    }

    @Test
    void theDirectoryHoldsTablesCurvesAndAPageLinkingThem() {
        List<LeaderboardDirectory.RunMetrics> runs = List.of(
                LeaderboardDirectory.RunMetrics.of("vamp", "runs/vamp/metrics.jsonl",
                        List.of("{\"examples_seen\":1000,\"train_elbo\":-200.5}")),
                LeaderboardDirectory.RunMetrics.absent("dyn", "no metrics.jsonl at runs/dyn/metrics.jsonl"),
                LeaderboardDirectory.RunMetrics.of("evil", "runs/evil/metrics.jsonl", List.of("not json")));
        Map<String, byte[]> files = LeaderboardDirectory.files(BOARD, List.of(VAMP, EVIL_ROW, DYNAMIC), runs, List.of());
        assertEquals(List.of("leaderboard.md", "binarized-mnist_static.csv", "mnist_dynamic.csv", "cifar10.csv",
                "imagenet64_van-den-oord-2016.csv", "curves/vamp.png", "index.html"), new ArrayList<>(files.keySet()));
        String page = new String(files.get("index.html"), StandardCharsets.UTF_8);
        assertTrue(page.contains("<img src=\"curves/vamp.png\" alt=\"Training curves of run vamp\">"));
        assertTrue(page.contains("no metrics.jsonl at runs/dyn/metrics.jsonl"));
        assertTrue(page.contains("runs/evil/metrics.jsonl line 1 is not JSON"));
    }

    private static String section(String slug) {
        int start = HTML.indexOf("<section class=\"benchmark\" id=\"" + slug + "\">");
        assertTrue(start >= 0, slug);
        return HTML.substring(start, HTML.indexOf("</section>", start));
    }

    private static List<String> rows(String slug, String kind) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<tr class=\"entry " + kind + "\">(.*?)</tr>").matcher(section(slug));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The visible text of every td. */
    private static List<String> cells(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(html);
        while (m.find()) {
            out.add(m.group(1).replaceAll("<[^>]+>", ""));
        }
        return out;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
