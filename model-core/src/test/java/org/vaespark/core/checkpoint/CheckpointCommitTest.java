package org.vaespark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.optim.AdamState;

/**
 * Half-written checkpoints are never picked up: metadata.json is the commit marker, a directory
 * that does not load falls back to the previous one, and what a killed writer left is tidied.
 */
class CheckpointCommitTest {
    private static final Settings SETTINGS = TestConfigs.small();
    private static final VaeConfig CONFIG = VaeConfig.from(SETTINGS.config(), 12);

    @TempDir
    Path dir;

    @Test
    void aRoundDirectoryWithArraysButNoMarkerIsNotACheckpoint() throws IOException {
        CheckpointIO.write(dir, checkpoint(1));
        Path two = CheckpointIO.write(dir, checkpoint(2));
        Files.delete(two.resolve(CheckpointIO.METADATA));
        assertEquals(List.of(dir.resolve("round-000001")), CheckpointIO.list(dir));
        CheckpointIO.Committed c = CheckpointIO.readLatest(dir, (p, why) -> { }).orElseThrow();
        assertEquals(1, c.checkpoint().metadata().round());
    }

    @Test
    void aTruncatedMarkerOrArrayFallsBackToThePreviousCheckpoint() throws IOException {
        CheckpointIO.write(dir, checkpoint(1));
        CheckpointIO.write(dir, checkpoint(2));
        Path three = CheckpointIO.write(dir, checkpoint(3));
        truncate(three.resolve(CheckpointIO.METADATA));
        Path two = dir.resolve("round-000002");
        Path array;
        try (Stream<Path> s = Files.list(two.resolve("optimizer/adam_v"))) {
            array = s.sorted().findFirst().orElseThrow();
        }
        truncate(array);
        List<Path> skipped = new ArrayList<>();
        CheckpointIO.Committed c = CheckpointIO.readLatest(dir, (p, why) -> skipped.add(p)).orElseThrow();
        assertEquals(dir.resolve("round-000001"), c.dir());
        assertEquals(List.of(three, two), skipped, "newest first, each reported");
        assertTrue(c.checkpoint().parameters().identicalTo(checkpoint(1).parameters()));
        assertEquals(checkpoint(1).adam().step(), c.checkpoint().adam().step());
    }

    @Test
    void noLoadableCheckpointIsAClearErrorNotAFreshStart() throws IOException {
        Path one = CheckpointIO.write(dir, checkpoint(1));
        truncate(one.resolve(CheckpointIO.METADATA));
        VaeException e = assertThrows(VaeException.class, () -> CheckpointIO.readLatest(dir, (p, why) -> { }));
        assertTrue(e.getMessage().contains("none of the 1 checkpoints loads") && e.getMessage().contains("round-000001"), e.getMessage());
        assertTrue(CheckpointIO.readLatest(dir.resolve("absent"), (p, why) -> { }).isEmpty());
    }

    @Test
    void cleanUpDeletesTemporaryDirectoriesAndRestoresACheckpointMovedAside() throws IOException {
        CheckpointIO.write(dir, checkpoint(1));
        Path two = CheckpointIO.write(dir, checkpoint(2));
        // a writer killed while writing round 3, and one killed between moving round 2 aside and renaming its replacement in
        Path tmp = dir.resolve(".round-000003.tmp-1234");
        Files.createDirectories(tmp.resolve("params"));
        Files.writeString(tmp.resolve("params/half.npy"), "x");
        Path aside = dir.resolve(".round-000002.old-5678");
        Files.move(two, aside, StandardCopyOption.ATOMIC_MOVE);
        Path staleOld = dir.resolve(".round-000001.old-9999");
        Files.createDirectories(staleOld);
        List<String> done = CheckpointIO.cleanUp(dir);
        assertEquals(3, done.size(), done.toString());
        assertFalse(Files.exists(tmp));
        assertFalse(Files.exists(aside));
        assertFalse(Files.exists(staleOld));
        assertEquals(2, CheckpointIO.readLatest(dir, (p, why) -> { }).orElseThrow().checkpoint().metadata().round());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("round-000001", "round-000002"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void theResumeBlockIsWrittenAndReadBack() throws IOException {
        ResumeState r = new ResumeState(ResumeState.DETERMINISM, 1, 2, 20, 3, "/data/x", 600, 4, 12, 480, 1, 0);
        Checkpoint c = checkpoint(4);
        CheckpointMetadata m = c.metadata();
        Path p = CheckpointIO.write(dir, new Checkpoint(new CheckpointMetadata(m.formatVersion(), m.settings(), m.inputDim(), m.image(),
                m.dataset(), m.datasetKind(), m.round(), m.adamStep(), m.examplesSeen(), m.seed(), m.trainWallSeconds(),
                m.parameterCount(), m.versions(), m.createdAt(), r), c.parameters(), c.adam()));
        assertEquals(r, CheckpointIO.read(p).metadata().resume());
        String json = Files.readString(p.resolve(CheckpointIO.METADATA));
        assertTrue(json.contains("\"resume\"") && json.contains("pure functions of (seed, p, t)"), json);
        assertEquals(null, CheckpointIO.read(CheckpointIO.write(dir, checkpoint(5))).metadata().resume(), "older checkpoints have none");
    }

    private static void truncate(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length / 2));
    }

    /** Checkpoint of round r: parameters and moments that differ by round, step 3r. */
    static Checkpoint checkpoint(long round) {
        NamedArrays p = ModelDescription.layout(CONFIG).initialise(round);
        NamedArrays m = p.map((n, v) -> scaled(v, 0.1f));
        NamedArrays v = p.map((n, x) -> scaled(x, x));
        AdamState adam = new AdamState(m, v, 3 * round);
        return new Checkpoint(new CheckpointMetadata(CheckpointMetadata.FORMAT_VERSION, SETTINGS.toJson(), 12, ImageShape.flat(12), "/data/x",
                "test", round, adam.step(), 60 * round, 1, round, p.size(), Map.of(), "2026-11-21T00:00:00Z"), p, adam);
    }

    private static float[] scaled(float[] v, float s) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * s;
        }
        return out;
    }

    private static float[] scaled(float[] v, float[] w) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * w[i];
        }
        return out;
    }
}
