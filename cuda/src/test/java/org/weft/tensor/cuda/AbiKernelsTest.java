package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reading of native/ABI.md that every launch test relies on. */
class AbiKernelsTest {

    @Test
    void everyKernelLineIsReadWithItsBracesExpanded() {
        // 330 is what native/tools/fatbin.py (check-symbols.sh) expands the same lines to; a new
        // kernel line changes both, and this number with them.
        assertEquals(330, AbiKernels.all().size());
        assertTrue(AbiKernels.all().containsKey("weft_convert_bool_bf16"));
        assertTrue(AbiKernels.all().containsKey("weft_gemm_tf32x3_tn"));
    }

    @Test
    void parameterTypesResolvePerKernel() {
        List<AbiKernels.Param> fill = AbiKernels.all().get("weft_fill_b2");
        assertEquals(List.of(AbiKernels.Kind.LONG, AbiKernels.Kind.POINTER, AbiKernels.Kind.STRUCT,
                AbiKernels.Kind.STRUCT), fill.stream().map(AbiKernels.Param::kind).toList());
        assertEquals(136, fill.get(2).bytes(), "WeftStrides");
        assertEquals(2, fill.get(3).bytes(), "W value of b2");
        assertEquals(AbiKernels.Kind.LONG, AbiKernels.all().get("weft_clamp_i32").get(3).kind(), "S of i32");
        assertEquals(AbiKernels.Kind.FLOAT, AbiKernels.all().get("weft_clamp_bf16").get(3).kind(), "S of bf16");
        assertEquals(AbiKernels.Kind.DOUBLE, AbiKernels.all().get("weft_gemm_naive_f64").get(15).kind());
    }

    @Test
    void aLaunchWithAWrongArgumentIsNamed() {
        byte[] desc = new byte[136];
        Launch good = Launch.elementwise("weft_copy_b4", 1, "t", 1L, new DevicePointer(16), desc,
                new DevicePointer(32), desc);
        assertNull(AbiKernels.mismatch(good));
        Launch intForLong = Launch.elementwise("weft_copy_b4", 1, "t", 1, new DevicePointer(16), desc,
                new DevicePointer(32), desc);
        assertEquals("weft_copy_b4 parameter 0 'long long n' got Integer 1", AbiKernels.mismatch(intForLong));
        Launch shortStruct = Launch.elementwise("weft_copy_b4", 1, "t", 1L, new DevicePointer(16),
                Arrays.copyOf(desc, 128), new DevicePointer(32), desc);
        assertTrue(AbiKernels.mismatch(shortStruct).contains("got byte[128]"));
        assertEquals("ABI.md names no kernel weft_copy_f32",
                AbiKernels.mismatch(Launch.elementwise("weft_copy_f32", 1, "t")));
    }
}
