package org.vaespark.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void quotesOnlyWhatNeedsIt() {
        assertEquals("plain", Csv.field("plain"));
        assertEquals("\"VAE, 2 layers\"", Csv.field("VAE, 2 layers"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\" padded\"", Csv.field(" padded"));
        assertEquals("", Csv.field(null));
        assertEquals("a,,\"b,c\"", Csv.line(Arrays.asList("a", null, "b,c")));
    }

    @Test
    void parsesWhatItWrites() {
        List<String> fields = Arrays.asList("IWAE 1 layer, k=50", "", "say \"hi\"", " x ", "3.11");
        List<String> back = Csv.parseLine(Csv.line(fields));
        assertEquals(fields, back);
        assertEquals(List.of("a", ""), Csv.parseLine("a,"));
        assertEquals(List.of(""), Csv.parseLine(""));
    }

    @Test
    void rejectsBrokenQuotes() {
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> Csv.parseLine("a,\"never closed"));
        assertTrue(open.getMessage().contains("character 3"), open.getMessage());
        IllegalArgumentException after = assertThrows(IllegalArgumentException.class,
                () -> Csv.parseLine("\"a\"b,c"));
        assertTrue(after.getMessage().contains("character 4"), after.getMessage());
    }
}
