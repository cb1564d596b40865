package org.vaespark.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Exports parameters as a safetensors file with PyTorch {@code nn.Linear} conventions: weight
 * [out, in] (our graph stores [in, out], so weights are transposed), bias [out]. Names:
 * {@code encoder.hidden.i.*}, {@code encoder.mu.*}, {@code encoder.logvar.*},
 * {@code decoder.hidden.i.*}, {@code decoder.out.*}, and {@code decoder.logvar} ([1]) for a
 * learned Gaussian variance. The model config goes into the {@code __metadata__} header.
 */
public final class SafetensorsExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsExport() {
    }

    /** Our graph name to the exported PyTorch name. */
    public static Map<String, String> torchNames(VaeConfig c) {
        Map<String, String> n = new LinkedHashMap<>();
        for (int i = 0; i < c.encoderHidden().size(); i++) {
            n.put(VaeNames.encoderWeight(i), "encoder.hidden." + i + ".weight");
            n.put(VaeNames.encoderBias(i), "encoder.hidden." + i + ".bias");
        }
        n.put(VaeNames.ENC_MU_W, "encoder.mu.weight");
        n.put(VaeNames.ENC_MU_B, "encoder.mu.bias");
        n.put(VaeNames.ENC_LOGVAR_W, "encoder.logvar.weight");
        n.put(VaeNames.ENC_LOGVAR_B, "encoder.logvar.bias");
        for (int i = 0; i < c.decoderHidden().size(); i++) {
            n.put(VaeNames.decoderWeight(i), "decoder.hidden." + i + ".weight");
            n.put(VaeNames.decoderBias(i), "decoder.hidden." + i + ".bias");
        }
        n.put(VaeNames.DEC_OUT_W, "decoder.out.weight");
        n.put(VaeNames.DEC_OUT_B, "decoder.out.bias");
        n.put(VaeNames.DEC_LOGVAR, "decoder.logvar");
        return n;
    }

    public static void write(Path file, VaeConfig config, NamedArrays params) throws IOException {
        Map<String, String> names = torchNames(config);
        Map<String, Object> header = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("vae_config", JSON.writeValueAsString(config));
        header.put("__metadata__", meta);
        Map<String, float[]> data = new LinkedHashMap<>();
        long offset = 0;
        for (String name : params.names()) {
            long[] shape = params.shape(name);
            float[] v = params.values(name);
            if (shape.length == 2 && name.endsWith("_W")) {
                v = transpose(v, (int) shape[0], (int) shape[1]);
                shape = new long[]{shape[1], shape[0]};
            }
            String torchName = names.getOrDefault(name, name.replace('_', '.'));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, offset + 4L * v.length));
            header.put(torchName, entry);
            data.put(torchName, v);
            offset += 4L * v.length;
        }
        byte[] headerBytes = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - headerBytes.length % 8) % 8;
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + headerBytes.length + pad + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(headerBytes.length + pad);
        buf.put(headerBytes);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) ' ');
        }
        for (float[] v : data.values()) {
            for (float f : v) {
                buf.putFloat(f);
            }
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, buf.array());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return t;
    }
}
