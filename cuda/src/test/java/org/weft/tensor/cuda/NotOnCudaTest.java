package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.Device;
import org.weft.tensor.backend.ConvKernels;
import org.weft.tensor.backend.CopyKernels;
import org.weft.tensor.backend.ElementwiseKernels;
import org.weft.tensor.backend.IndexKernels;
import org.weft.tensor.backend.LinalgKernels;
import org.weft.tensor.backend.NormKernels;
import org.weft.tensor.backend.RandomKernels;
import org.weft.tensor.backend.ReductionKernels;
import org.weft.tensor.backend.UnaryOp;

/** Unwired kernel families fail loudly, never fall back to the CPU. */
class NotOnCudaTest {

    private static final Device GPU = Device.cuda(0);

    @Test
    void aCallNamesTheFamilyTheMethodTheOpAndTheDevice() {
        ElementwiseKernels k = NotOnCuda.family(ElementwiseKernels.class, "elementwise", GPU);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> k.unary(UnaryOp.values()[0], null, null));
        assertEquals("not yet implemented on CUDA: elementwise.unary(" + UnaryOp.values()[0].name() + ") on cuda:0;"
                + " move the arrays to the CPU (toDevice(Device.CPU)) to run it there", e.getMessage());
    }

    @Test
    void everyMethodOfEveryFamilyThrows() throws Exception {
        List<Class<?>> families = List.of(CopyKernels.class, ElementwiseKernels.class, ReductionKernels.class,
                LinalgKernels.class, ConvKernels.class, NormKernels.class, IndexKernels.class, RandomKernels.class);
        int methods = 0;
        for (Class<?> f : families) {
            Object impl = NotOnCuda.family(f, f.getSimpleName(), GPU);
            for (Method m : f.getMethods()) {
                if (Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                Object[] args = new Object[m.getParameterCount()];
                Class<?>[] types = m.getParameterTypes();
                for (int i = 0; i < args.length; i++) {
                    args[i] = defaultValue(types[i]);
                }
                InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> m.invoke(impl, args),
                        f.getSimpleName() + "." + m.getName());
                assertTrue(e.getCause() instanceof UnsupportedOperationException, f.getSimpleName() + "." + m.getName());
                assertTrue(e.getCause().getMessage().startsWith("not yet implemented on CUDA: " + f.getSimpleName()
                        + "." + m.getName()), e.getCause().getMessage());
                methods++;
            }
        }
        assertTrue(methods > 50, "all families were covered: " + methods);
    }

    private static Object defaultValue(Class<?> t) {
        if (!t.isPrimitive()) {
            return null;
        }
        if (t == boolean.class) {
            return false;
        }
        if (t == double.class) {
            return 0.0;
        }
        if (t == float.class) {
            return 0f;
        }
        if (t == long.class) {
            return 0L;
        }
        return 0;
    }
}
