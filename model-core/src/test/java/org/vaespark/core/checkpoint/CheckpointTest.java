package org.vaespark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.optim.AdamState;

/** Checkpoint directories, .npy arrays and the safetensors export. */
class CheckpointTest {
    private static final Settings SETTINGS = TestConfigs.small("model.likelihood=gaussian");
    private static final VaeConfig CONFIG = VaeConfig.from(SETTINGS.config(), 12);

    @TempDir
    Path dir;

    @Test
    void saveThenLoadGivesIdenticalOutputs() throws IOException {
        Vae vae = Vae.initialise(CONFIG, 5);
        NamedArrays params = vae.parameters().map((n, v) -> {
            float[] c = v.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] += 0.01f * (i % 7);
            }
            return c;
        });
        vae.setParameters(params);
        AdamState adam = new AdamState(params.map((n, v) -> v.clone()), params.zerosLike(), 42);
        Path written = CheckpointIO.write(dir, checkpoint(params, adam, 3));
        assertEquals("round-000003", written.getFileName().toString());
        assertTrue(Files.size(written.resolve(CheckpointIO.SAFETENSORS)) > 4 * params.size(), "checkpoint carries the safetensors export");

        Checkpoint back = CheckpointIO.read(written);
        assertTrue(back.parameters().identicalTo(params));
        assertTrue(back.adam().m().identicalTo(adam.m()));
        assertEquals(42, back.adam().step());
        assertEquals(CONFIG, back.modelConfig());
        Vae loaded = Vae.withParameters(back.modelConfig(), back.parameters());

        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 12);
        float[] eps = new float[2 * 3 * CONFIG.latentDim()];
        NoiseSource.fill(eps, 1, 1, new long[]{0, 1, 2}, 0, 2, CONFIG.latentDim());
        INDArray e = Nd4j.create(eps, new long[]{2, 3, CONFIG.latentDim()}, 'c');
        Map<String, INDArray> a = vae.output(x, e, VaeNames.LOG_PX_Z, VaeNames.Z_MEAN);
        Map<String, INDArray> b = loaded.output(x, e, VaeNames.LOG_PX_Z, VaeNames.Z_MEAN);
        assertEquals(a.get(VaeNames.LOG_PX_Z), b.get(VaeNames.LOG_PX_Z));
        assertEquals(a.get(VaeNames.Z_MEAN), b.get(VaeNames.Z_MEAN));
    }

    @Test
    void listingIgnoresUncommittedDirectoriesAndFindsTheLatest() throws IOException {
        NamedArrays p = Vae.initialise(CONFIG, 1).parameters();
        CheckpointIO.write(dir, checkpoint(p, AdamState.zeros(p), 1));
        CheckpointIO.write(dir, checkpoint(p, AdamState.zeros(p), 12));
        CheckpointIO.write(dir, checkpoint(p, new AdamState(p, p, 5), 12));
        assertEquals(5, CheckpointIO.read(dir.resolve("round-000012")).adam().step(), "rewriting a round replaces it");
        try (var left = Files.list(dir)) {
            assertEquals(2, left.count(), "no temporary or old directories are left behind");
        }
        Files.createDirectories(dir.resolve(".round-000013.tmp-abc/params"));
        Files.createDirectories(dir.resolve("round-000014"));
        assertEquals(2, CheckpointIO.list(dir).size());
        assertEquals("round-000012", CheckpointIO.latest(dir).orElseThrow().getFileName().toString());
    }

    @Test
    void wrongShapesAndUnknownVersionsAreRejectedWithExpectedAndFound() throws IOException {
        NamedArrays p = Vae.initialise(CONFIG, 1).parameters();
        Path written = CheckpointIO.write(dir, checkpoint(p, AdamState.zeros(p), 2));
        Npy.write(written.resolve("params/" + VaeNames.DEC_OUT_B + ".npy"), new long[]{11}, new float[11]);
        VaeException e = assertThrows(VaeException.class, () -> CheckpointIO.read(written));
        assertTrue(e.getMessage().contains("expected [12], found [11]"), e.getMessage());

        Path meta = written.resolve(CheckpointIO.METADATA);
        Files.writeString(meta, Files.readString(meta).replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"));
        VaeException v = assertThrows(VaeException.class, () -> CheckpointIO.read(written));
        assertTrue(v.getMessage().contains("expected 1, found 99"), v.getMessage());
    }

    @Test
    void npyFilesCarryNumpysHeader() throws IOException {
        Path f = dir.resolve("a.npy");
        Npy.write(f, new long[]{2, 3}, new float[]{1, 2, 3, 4, 5, 6});
        byte[] bytes = Files.readAllBytes(f);
        String header = new String(bytes, 10, bytes.length - 10 - 24, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertEquals(0, (10 + header.length()) % 64, "header must be 64-byte aligned");
        Npy.Array back = Npy.read(f);
        assertEquals(6f, back.values()[5]);
        Npy.write(f, new long[]{4}, new float[]{1, 2, 3, 4});
        assertTrue(new String(Files.readAllBytes(f), StandardCharsets.US_ASCII).contains("'shape': (4,)"));
    }

    @Test
    void safetensorsExportUsesTorchLinearLayout() throws IOException {
        NamedArrays p = Vae.initialise(CONFIG, 3).parameters();
        Path f = dir.resolve("model.safetensors");
        SafetensorsExport.write(f, CONFIG, p);
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) buf.getLong();
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, headerLen, StandardCharsets.UTF_8));
        JsonNode w = header.get("decoder.out.weight");
        assertEquals("F32", w.get("dtype").asText());
        assertEquals(12, w.get("shape").get(0).asInt());
        assertEquals(32, w.get("shape").get(1).asInt());
        assertTrue(header.has("encoder.hidden.0.bias"));
        assertTrue(header.has("decoder.logvar"));
        assertTrue(header.get("__metadata__").get("vae_config").asText().contains("\"latentDim\":4"));
        long start = w.get("data_offsets").get(0).asLong();
        // element [out=5, in=7] of the torch weight is element [in=7, out=5] of ours
        float exported = buf.getFloat((int) (8 + headerLen + start + 4L * (5 * 32 + 7)));
        assertEquals(p.values(VaeNames.DEC_OUT_W)[7 * 12 + 5], exported);
    }

    private static Checkpoint checkpoint(NamedArrays p, AdamState adam, long round) {
        return new Checkpoint(new CheckpointMetadata(CheckpointMetadata.FORMAT_VERSION, SETTINGS.toJson(), 12, org.vaespark.core.model.ImageShape.flat(12), "/data/x", "test",
                round, adam.step(), 1000, 1, 1.5, p.size(), Versions.all(), "2026-11-21T00:00:00Z"), p, adam);
    }
}
