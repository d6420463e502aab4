package org.weft.tests.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.nn.io.StateDicts;
import org.weft.nn.models.SwinTransformer;
import org.weft.recipes.cli.KeyMappings;
import org.weft.recipes.cli.ModelRegistry;
import org.weft.recipes.cli.Weft;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;
import org.weft.tests.Fixtures;
import picocli.CommandLine;

/**
 * {@code weft convert --from timm} on the Swin fixture's timm-named and official-named copies
 * of a torchvision Swin-T state dict: the converted file loads strictly into Weft's Swin-T and
 * holds exactly torchvision's tensors under torchvision's names.
 */
class ConvertCommandTest {

    @TempDir
    Path dir;

    @Test
    void timmAndOfficialSwinNamesBecomeTorchvisionsExactly() throws IOException {
        Path fixture = Fixtures.dir("swin");
        Map<String, NDArray> torchvision = SafeTensors.read(fixture.resolve("swin_t.safetensors"));
        for (String source : new String[] {"swin_t_timm.safetensors", "swin_t_official.safetensors"}) {
            Path out = dir.resolve("converted-" + source);
            StringWriter err = new StringWriter();
            CommandLine weft = Weft.commandLine(ModelRegistry.standard(), KeyMappings.standard());
            weft.setErr(new PrintWriter(err));
            weft.setOut(new PrintWriter(new StringWriter()));
            int status = weft.execute("convert", fixture.resolve(source).toString(), out.toString(), "--from", "timm");
            assertEquals(0, status, err.toString());

            Map<String, NDArray> converted = SafeTensors.read(out);
            assertEquals(new ArrayList<>(torchvision.keySet()), new ArrayList<>(converted.keySet()), source);
            for (Map.Entry<String, NDArray> e : torchvision.entrySet()) {
                NDArray got = converted.get(e.getKey());
                assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
                assertArrayEquals(e.getValue().dims(), got.dims(), e.getKey());
                assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), 0.0, e.getKey());
            }
            SwinTransformer.swinT(1000).loadStateDict(StateDicts.load(out), true);
        }
    }
}
