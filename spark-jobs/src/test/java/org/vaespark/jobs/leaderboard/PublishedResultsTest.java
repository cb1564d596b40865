package org.vaespark.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;

class PublishedResultsTest {
    private static final String HEADER = String.join(",", PublishedResults.HEADER) + "\n";
    private static final String GOOD = "VLAE,mnist,dynamic,,iwae,5000,,79.03,nats,Chen et al. 2017\n";

    private final List<PublishedResult> all = PublishedResults.loadDefault();

    private PublishedResult find(String model, String dataset, String binarizationOrVersion) {
        List<PublishedResult> hits = all.stream()
                .filter(p -> p.model().equals(model) && p.dataset().equals(dataset)
                        && binarizationOrVersion.equals(p.benchmark().qualifier() == null ? "" : p.benchmark().qualifier()))
                .toList();
        assertEquals(1, hits.size(), "rows for " + model + " / " + dataset + " / " + binarizationOrVersion);
        return hits.get(0);
    }

    @Test
    void holdsExactlyTheNumbersOfScienceMd() {
        List<String> values = all.stream().map(p -> p.value().toPlainString()).toList();
        assertEquals(List.of("85.89", "85.07", "83.19", "81.09", "79.78", "85.57", "88.71", "87.63", "87.10",
                "86.76", "84.78", "85.33", "82.90", "79.88", "79.03", "3.11", "2.91", "2.87", "3.66", "3.52"), values);
        assertEquals(20, all.size());
        assertEquals(15, all.stream().filter(p -> p.unit().equals(PublishedResult.NATS)).count());
        assertEquals(5, all.stream().filter(p -> p.unit().equals(PublishedResult.BITS_PER_DIM)).count());
    }

    @Test
    void mnistRowsAreIwae5000WithTheirBinarization() {
        PublishedResult vamp = find("VAE (L=1) + VampPrior (K=500)", "binarized-mnist", "static");
        assertEquals("85.57", vamp.value().toPlainString());
        assertEquals("IWAE-5000", vamp.estimatorLabel());
        assertEquals("Tomczak & Welling 2018", vamp.source());
        assertEquals("79.78", find("PixelHVAE (L=2) + VampPrior", "binarized-mnist", "static").value().toPlainString());
        for (PublishedResult p : all) {
            if (p.benchmark().isMnist()) {
                assertEquals(PublishedResult.NATS, p.unit(), p.model());
                assertEquals("IWAE-5000", p.estimatorLabel(), p.model());
                assertTrue(List.of("static", "dynamic").contains(p.binarization()), p.model());
            }
        }
        assertEquals(9, all.stream().filter(p -> "static".equals(p.binarization())).count());
        assertEquals(6, all.stream().filter(p -> "dynamic".equals(p.binarization())).count());
    }

    @Test
    void burdaAppendixDIsThreeRowsAndTable1IsFour() {
        assertEquals("88.71", find("IWAE 1 layer, k=1", "binarized-mnist", "static").value().toPlainString());
        assertEquals("87.63", find("IWAE 1 layer, k=5", "binarized-mnist", "static").value().toPlainString());
        PublishedResult k50 = find("IWAE 1 layer, k=50", "binarized-mnist", "static");
        assertEquals("87.10", k50.value().toPlainString());
        assertEquals("Burda et al. 2016, App. D", k50.source());
        assertEquals("86.76", find("VAE 1 layer", "mnist", "dynamic").value().toPlainString());
        assertEquals("84.78", find("IWAE 1 layer, k=50", "mnist", "dynamic").value().toPlainString());
        assertEquals("85.33", find("VAE 2 layers", "mnist", "dynamic").value().toPlainString());
        PublishedResult deep = find("IWAE 2 layers, k=50", "mnist", "dynamic");
        assertEquals("82.90", deep.value().toPlainString());
        assertEquals("Burda et al. 2016, Table 1", deep.source());
    }

    @Test
    void bitsPerDimRowsKeepBoundAndEstimator() {
        PublishedResult iaf = find("IAF-VAE", "cifar10", "");
        assertEquals("3.11", iaf.value().toPlainString());
        assertEquals(PublishedResult.BITS_PER_DIM, iaf.unit());
        assertNull(iaf.estimatorLabel());
        assertEquals("ELBO", find("VDVAE", "cifar10", "").estimatorLabel());
        assertEquals("2.87", find("VDVAE", "cifar10", "").value().toPlainString());
        assertEquals("2.91", find("NVAE", "cifar10", "").value().toPlainString());
        PublishedResult pixel = find("Hierarchical PixelVAE", "imagenet64", Benchmark.IMAGENET64_VAN_DEN_OORD);
        assertEquals("3.66", pixel.value().toPlainString());
        assertTrue(pixel.isUpperBound());
        PublishedResult vdvae = find("VDVAE", "imagenet64", Benchmark.IMAGENET64_VAN_DEN_OORD);
        assertEquals("3.52", vdvae.value().toPlainString());
        assertEquals("ELBO", vdvae.estimatorLabel());
        assertFalse(vdvae.isUpperBound());
    }

    @Test
    void parsesQuotedFields() {
        List<PublishedResult> rows = PublishedResults.parse(HEADER
                + "\"VAE, 2 layers\",mnist,dynamic,,iwae,5000,,85.33,nats,\"Burda et al. 2016, Table 1\"\n", "test.csv");
        assertEquals("VAE, 2 layers", rows.get(0).model());
        assertEquals("Burda et al. 2016, Table 1", rows.get(0).source());
    }

    @Test
    void badRowsNameTheirLine() {
        assertBad(HEADER + GOOD + "VLAE,mnist,dynamic,,iwae,5000,,79.03,nats\n", "line 3", "expected 10 fields, found 9");
        assertBad(HEADER + "PixelVAE,imagenet64,,van-den-oord-2016,,,,≤3.66,bits/dim,x\n", "line 2", "bound=upper");
        assertBad(HEADER + "X,cifar10,,,,,,3.1,bpd,x\n", "line 2", "unit 'bpd'");
        assertBad(HEADER + "X,mnist,,,iwae,5000,,80.1,nats,x\n", "line 2", "binarization");
        assertBad(HEADER + "X,imagenet64,,,,,,3.5,bits/dim,x\n", "line 2", "dataset version");
        assertBad(HEADER + "X,mnist,dynamic,,iwae,five,,80.1,nats,x\n", "line 2", "estimator_k 'five'");
        assertBad(HEADER + "X,mnist,dynamic,,iwae,5000,,0,nats,x\n", "line 2", "not a positive NLL");
        assertBad(HEADER + "\"X,mnist,dynamic,,iwae,5000,,80.1,nats,x\n", "line 2", "never closed");
        assertBad(HEADER + GOOD + "\n" + GOOD, "line 4", "duplicate row");
        assertBad("model,dataset\n" + GOOD, "line 1", "unexpected header");
        assertBad(HEADER, "line 1", "no rows");
    }

    private static void assertBad(String csv, String line, String detail) {
        VaeException e = assertThrows(VaeException.class, () -> PublishedResults.parse(csv, "bad.csv"));
        assertEquals("bad.csv, " + line, e.where(), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }
}
