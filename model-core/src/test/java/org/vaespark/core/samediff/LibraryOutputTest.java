package org.vaespark.core.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.VaeConfig;

class LibraryOutputTest {

    @Test
    void sameDiffsDifferentiationLinesAreDroppedAndOtherLinesPass() {
        PrintStream before = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Vae model = Vae.initialise(VaeConfig.from(Settings.defaults("model.encoder.hidden=[8]", "model.decoder.hidden=[8]",
                    "model.latent-dim=2").config(), 12), 1);
            PrintStream wrapped = System.out;
            LibraryOutput.install();
            assertSame(wrapped, System.out, "installed once");
            long dropped = LibraryOutput.dropped();
            model.step(Nd4j.rand(3, 12), Nd4j.randn(1, 3, 2));
            assertTrue(LibraryOutput.dropped() > dropped, "SameDiff printed its lines, and they were kept off the console");
            System.out.println("our own line");
            System.out.printf("%d%n", 3);
            String out = captured.toString(StandardCharsets.UTF_8);
            assertFalse(out.contains(LibraryOutput.DIFFERENTIATED), out);
            assertEquals("our own line" + System.lineSeparator() + "3" + System.lineSeparator(), out);
        } finally {
            System.setOut(before);
        }
    }
}
