package org.vaespark.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Writes a model's parameters as a safetensors file (an 8-byte little-endian header length, a JSON
 * header of name to dtype, shape and byte offsets, then raw little-endian float32) under the PyTorch
 * module names and layouts of {@link TorchLayout} (docs/export.md). The model config goes into the
 * header's {@code __metadata__.vae_config}.
 */
public final class SafetensorsExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsExport() {
    }

    public static void write(Path file, VaeConfig config, NamedArrays params) throws IOException {
        List<TorchLayout.Tensor> tensors = TorchLayout.export(config, params);
        Map<String, Object> header = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("vae_config", JSON.writeValueAsString(config));
        header.put("__metadata__", meta);
        long offset = 0;
        for (TorchLayout.Tensor t : tensors) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", t.shape());
            entry.put("data_offsets", List.of(offset, offset + 4L * t.values().length));
            if (header.put(t.name(), entry) != null) {
                throw new IllegalStateException("two tensors named " + t.name() + " in the safetensors export");
            }
            offset += 4L * t.values().length;
        }
        byte[] headerBytes = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - headerBytes.length % 8) % 8;
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + headerBytes.length + pad + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(headerBytes.length + pad);
        buf.put(headerBytes);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) ' ');
        }
        for (TorchLayout.Tensor t : tensors) {
            for (float f : t.values()) {
                buf.putFloat(f);
            }
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, buf.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
